import type { FakeSlackChannel, FakeSlackMessage, FakeSlackSeed, FakeSlackUser } from './seed.js';
import { fail } from './wire.js';

/** A direct-message conversation opened with `conversations.open`. */
export interface FakeSlackDm {
  id: string;
  /** The other person. */
  user: string;
  created: number;
}

/** When seeded DMs were opened (seconds since the epoch): a fixed past time. */
const SEEDED_DM_CREATED = 1_600_000_000;

/**
 * The fake workspace's state: people, channels, DMs and histories, and the few rules of Slack's
 * that a client can trip over (membership, archived channels, unknown ids).
 */
export class SlackWorkspace {
  readonly team: FakeSlackSeed['team'];
  readonly bot: FakeSlackSeed['bot'];
  readonly users: FakeSlackUser[];
  readonly channels: FakeSlackChannel[];
  readonly dms: FakeSlackDm[];
  /** Channel or DM id → messages, oldest first. */
  readonly histories = new Map<string, FakeSlackMessage[]>();
  #seq = 0;
  #nextId = 1;

  constructor(seed: FakeSlackSeed) {
    this.team = { ...seed.team };
    this.bot = { ...seed.bot };
    this.users = seed.users.map((u) => ({ ...u }));
    this.channels = seed.channels.map((c) => ({ ...c, members: [...c.members] }));
    this.dms = seed.dms.map((d) => ({ ...d, created: SEEDED_DM_CREATED }));
    for (const [channel, messages] of Object.entries(seed.messages)) {
      this.histories.set(
        channel,
        messages.map((m) => ({ ...m, reactions: { ...m.reactions } })),
      );
    }
  }

  /** A fresh ts, later than every other: wall-clock seconds and a sequence that only grows. */
  nextTs(): string {
    this.#seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`;
  }

  /** A fresh id with Slack's prefix and shape, e.g. `D0FAKE0001`. */
  nextId(prefix: 'C' | 'D'): string {
    return `${prefix}0FAKE${String(this.#nextId++).padStart(4, '0')}`;
  }

  user(id: string): FakeSlackUser {
    return this.users.find((u) => u.id === id) ?? fail('user_not_found');
  }

  userByEmail(email: string): FakeSlackUser {
    const wanted = email.toLowerCase();
    return this.users.find((u) => u.email?.toLowerCase() === wanted) ?? fail('users_not_found');
  }

  /** A channel by id, or by name (`general` or `#general`), as `chat.postMessage` allows. */
  channel(idOrName: string): FakeSlackChannel {
    const name = idOrName.replace(/^#/, '');
    return this.channels.find((c) => c.id === idOrName || c.name === name) ?? fail('channel_not_found');
  }

  dm(id: string): FakeSlackDm | undefined {
    return this.dms.find((d) => d.id === id);
  }

  /** The history of a channel or DM the bot may write to: a member, and not archived. */
  writableHistory(conversation: string): { id: string; messages: FakeSlackMessage[] } {
    const dm = this.dm(conversation);
    if (dm) return { id: dm.id, messages: this.history(dm.id) };
    const channel = this.channel(conversation);
    if (channel.isArchived) fail('is_archived');
    if (!channel.members.includes(this.bot.userId)) fail('not_in_channel');
    return { id: channel.id, messages: this.history(channel.id) };
  }

  /** The history of a channel or DM the bot may read: a member of it (public channels included). */
  readableHistory(conversation: string): FakeSlackMessage[] {
    if (this.dm(conversation)) return this.history(conversation);
    const channel = this.channels.find((c) => c.id === conversation) ?? fail('channel_not_found');
    if (!channel.members.includes(this.bot.userId)) fail('not_in_channel');
    return this.history(channel.id);
  }

  history(id: string): FakeSlackMessage[] {
    let messages = this.histories.get(id);
    if (!messages) {
      messages = [];
      this.histories.set(id, messages);
    }
    return messages;
  }

  /** The open DM with a user, or a new one. */
  openDm(userId: string): { dm: FakeSlackDm; alreadyOpen: boolean } {
    const user = this.user(userId);
    if (user.deleted) fail('user_disabled');
    const open = this.dms.find((d) => d.user === user.id);
    if (open) return { dm: open, alreadyOpen: true };
    const dm = { id: this.nextId('D'), user: user.id, created: Math.floor(Date.now() / 1000) };
    this.dms.push(dm);
    return { dm, alreadyOpen: false };
  }

  createChannel(name: string, isPrivate: boolean): FakeSlackChannel {
    if (!/^[a-z0-9_-]{1,80}$/.test(name))
      fail(name.length > 80 ? 'invalid_name_maxlength' : 'invalid_name_specials');
    if (this.channels.some((c) => c.name === name)) fail('name_taken');
    const channel: FakeSlackChannel = {
      id: this.nextId('C'),
      name,
      isPrivate,
      members: [this.bot.userId],
    };
    this.channels.push(channel);
    return channel;
  }
}
