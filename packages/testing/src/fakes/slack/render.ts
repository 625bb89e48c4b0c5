import type { FakeSlackChannel, FakeSlackMessage, FakeSlackUser } from './seed.js';
import type { FakeSlackDm, SlackWorkspace } from './workspace.js';

/** Seeded channels and people were created at this fixed past time (seconds). */
const CREATED = 1_600_000_000;

/**
 * A channel in Slack's conversation-object shape (as `conversations.list` and `.info` send it).
 * Slack also sends `context_team_id` and `updated`; they are left out because the published
 * schema forbids them and no client depends on them.
 */
export function renderChannel(channel: FakeSlackChannel, ws: SlackWorkspace): Record<string, unknown> {
  const creator = channel.members[0] ?? ws.bot.userId;
  return {
    id: channel.id,
    name: channel.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate ?? false,
    created: CREATED,
    is_archived: channel.isArchived ?? false,
    is_general: channel.isGeneral ?? false,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    parent_conversation: null,
    creator,
    shared_team_ids: [ws.team.id],
    pending_connected_team_ids: [],
    is_member: channel.members.includes(ws.bot.userId),
    topic: topicOf(channel.topic, creator),
    purpose: topicOf(channel.purpose, creator),
    previous_names: [],
    num_members: channel.members.length,
  };
}

function topicOf(value: string | undefined, creator: string) {
  return value ? { value, creator, last_set: CREATED } : { value: '', creator: '', last_set: 0 };
}

/** A direct-message conversation, as `conversations.info` sends one. */
export function renderDm(dm: FakeSlackDm): Record<string, unknown> {
  return {
    id: dm.id,
    created: dm.created,
    is_archived: false,
    is_im: true,
    is_org_shared: false,
    user: dm.user,
    is_open: true,
    priority: 0,
  };
}

/** A person (or the bot) in Slack's user-object shape. */
export function renderUser(user: FakeSlackUser, ws: SlackWorkspace): Record<string, unknown> {
  const tz = user.tz ?? 'UTC';
  const [first = user.realName, ...rest] = user.realName.split(' ');
  const profile: Record<string, unknown> = {
    title: '',
    phone: '',
    skype: '',
    real_name: user.realName,
    real_name_normalized: user.realName,
    display_name: user.isBot ? '' : user.name,
    display_name_normalized: user.isBot ? '' : user.name,
    fields: null,
    status_text: '',
    status_emoji: '',
    status_expiration: 0,
    avatar_hash: `g${user.id.slice(-11).toLowerCase().padStart(11, '0')}`,
    first_name: first,
    last_name: rest.join(' '),
    image_24: avatar(user, 24),
    image_32: avatar(user, 32),
    image_48: avatar(user, 48),
    image_72: avatar(user, 72),
    image_192: avatar(user, 192),
    image_512: avatar(user, 512),
    team: ws.team.id,
  };
  if (user.email !== undefined) profile.email = user.email;
  if (user.isBot) {
    profile.bot_id = ws.bot.botId;
    profile.always_active = true;
  }
  return {
    id: user.id,
    team_id: ws.team.id,
    name: user.name,
    deleted: user.deleted ?? false,
    color: '9f69e7',
    real_name: user.realName,
    tz,
    tz_label: zoneName(tz, 'long'),
    tz_offset: zoneOffsetSeconds(tz),
    profile,
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: CREATED,
  };
}

function avatar(user: FakeSlackUser, size: number): string {
  return `https://avatars.slack-edge.com/fake/${user.id}_${size}.png`;
}

function zoneName(tz: string, style: 'long' | 'longOffset'): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? tz;
}

/** `GMT+02:00` → 7200; `GMT` → 0. */
function zoneOffsetSeconds(tz: string): number {
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zoneName(tz, 'longOffset'));
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

/**
 * A message in Slack's shape. Thread parents carry their reply summary; replies carry their
 * parent's author. (Slack also sends `app_id` and `bot_profile` on bot messages; the published
 * message schema forbids `app_id`, so both are left out.)
 */
export function renderMessage(
  message: FakeSlackMessage,
  history: readonly FakeSlackMessage[],
  ws: SlackWorkspace,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: 'message',
    user: message.user,
    text: message.text,
    ts: message.ts,
    team: ws.team.id,
  };
  if (message.botId) out.bot_id = message.botId;
  if (message.blocks) out.blocks = message.blocks;
  if (message.edited) out.edited = message.edited;
  if (message.threadTs) {
    out.thread_ts = message.threadTs;
    if (message.threadTs === message.ts) {
      const replies = history.filter((m) => m.threadTs === message.ts && m.ts !== message.ts);
      const users = [...new Set(replies.map((r) => r.user))];
      out.reply_count = replies.length;
      out.reply_users_count = users.length;
      if (replies.length > 0) {
        out.latest_reply = replies[replies.length - 1]?.ts;
        out.reply_users = users;
      }
    } else {
      const parent = history.find((m) => m.ts === message.threadTs);
      if (parent) out.parent_user_id = parent.user;
      if (message.broadcast) out.subtype = 'thread_broadcast';
    }
  }
  const reactions = Object.entries(message.reactions ?? {}).filter(([, users]) => users.length > 0);
  if (reactions.length > 0) {
    out.reactions = reactions.map(([name, users]) => ({ name, users, count: users.length }));
  }
  return out;
}
