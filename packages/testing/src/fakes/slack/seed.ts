/** A workspace member the fake knows. */
export interface FakeSlackUser {
  /** `U…` id, e.g. `'U0ALICE001'`. */
  id: string;
  /** The handle, e.g. `'alice'`. */
  name: string;
  realName: string;
  /** Looked up (case-insensitively) by `users.lookupByEmail`; bots have none. */
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  /** IANA zone, e.g. `'Europe/Kyiv'`. @default 'UTC' */
  tz?: string;
}

/** A channel the fake knows (public or private; direct messages are opened with `conversations.open`). */
export interface FakeSlackChannel {
  /** `C…` id, e.g. `'C0GENERAL1'`. */
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  isGeneral?: boolean;
  /** Member user ids. The bot may post only where it is a member, as on Slack. */
  members: string[];
  topic?: string;
  purpose?: string;
}

/** A message already in a channel's history. */
export interface FakeSlackMessage {
  /** `'1700000000.000100'`: seconds and a six-digit sequence, unique per channel. */
  ts: string;
  /** Author user id. */
  user: string;
  text: string;
  /** Block Kit blocks, as sent. */
  blocks?: unknown[];
  /** Set on thread replies (and on a thread's parent once it has replies): the parent's ts. */
  threadTs?: string;
  /** A thread reply also shown in the channel. */
  broadcast?: boolean;
  /** The bot that posted it. */
  botId?: string;
  /** Emoji name → users who reacted. */
  reactions?: Record<string, string[]>;
  edited?: { user: string; ts: string };
}

/** Everything a fake workspace starts with. */
export interface FakeSlackSeed {
  team: { id: string; name: string; domain: string };
  /** The app's bot user: who `auth.test` says the token belongs to, and who posts. */
  bot: { userId: string; botId: string; name: string };
  users: FakeSlackUser[];
  channels: FakeSlackChannel[];
  /** Direct messages already open between the bot and a person (more open with `conversations.open`). */
  dms: { id: string; user: string }[];
  /** Channel or DM id → history, oldest first. */
  messages: Record<string, FakeSlackMessage[]>;
}

/** Ids follow Slack's shapes (`T`/`U`/`B`/`C` and at least nine characters) so they pass its schemas. */
export const SEED_IDS = {
  team: 'T0PATCHBAY1',
  bot: 'U0PATCHBOT1',
  botId: 'B0PATCHBOT1',
  alice: 'U0ALICE001',
  bob: 'U0BOB00002',
  carol: 'U0CAROL003',
  dave: 'U0DAVE0004',
  general: 'C0GENERAL1',
  random: 'C0RANDOM02',
  deploys: 'C0DEPLOYS3',
  secret: 'C0SECRET04',
  archived: 'C0ARCHIVE5',
  bobDm: 'D0BOBDM001',
} as const;

const T0 = 1_700_000_000;
const ts = (offsetSeconds: number, seq: number) => `${T0 + offsetSeconds}.${String(seq).padStart(6, '0')}`;

/**
 * A small, fixed workspace: four people (one deactivated), the bot, five channels (one private
 * the bot is not in, one archived), an open DM with Bob, and a short `#general` history with a
 * thread.
 */
export function defaultSlackSeed(): FakeSlackSeed {
  const id = SEED_IDS;
  return {
    team: { id: id.team, name: 'Patchbay', domain: 'patchbay' },
    bot: { userId: id.bot, botId: id.botId, name: 'patchbay' },
    users: [
      { id: id.alice, name: 'alice', realName: 'Alice Smith', email: 'alice@example.com', tz: 'Europe/Kyiv' },
      { id: id.bob, name: 'bob', realName: 'Bob Jones', email: 'bob@example.com', tz: 'America/New_York' },
      { id: id.carol, name: 'carol', realName: 'Carol White', email: 'carol@example.com' },
      { id: id.dave, name: 'dave', realName: 'Dave Gone', email: 'dave@example.com', deleted: true },
      { id: id.bot, name: 'patchbay', realName: 'Patchbay', isBot: true },
    ],
    channels: [
      {
        id: id.general,
        name: 'general',
        isGeneral: true,
        members: [id.alice, id.bob, id.carol, id.bot],
        topic: 'Company-wide announcements',
        purpose: 'This channel is for workspace-wide communication.',
      },
      { id: id.random, name: 'random', members: [id.alice, id.bob] },
      { id: id.deploys, name: 'deploys', members: [id.alice, id.bot], topic: 'Release train' },
      { id: id.secret, name: 'secret-plans', isPrivate: true, members: [id.alice] },
      { id: id.archived, name: 'old-project', isArchived: true, members: [id.bob, id.bot] },
    ],
    dms: [{ id: id.bobDm, user: id.bob }],
    messages: {
      [id.general]: [
        { ts: ts(0, 100), user: id.alice, text: 'Welcome to Patchbay!' },
        { ts: ts(60, 200), user: id.bob, text: 'Deploy at 5?', threadTs: ts(60, 200) },
        { ts: ts(90, 300), user: id.alice, text: 'Yes, after the tests pass.', threadTs: ts(60, 200) },
        { ts: ts(120, 400), user: id.carol, text: 'Lunch anyone?', reactions: { taco: [id.alice] } },
      ],
      [id.deploys]: [{ ts: ts(30, 100), user: id.alice, text: 'v1.0.0 is out' }],
      [id.bobDm]: [{ ts: ts(200, 100), user: id.bob, text: 'Ping me when the deploy is done?' }],
    },
  };
}
