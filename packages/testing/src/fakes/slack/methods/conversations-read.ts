import type { SlackMethodTable } from '../method.js';
import { renderChannel, renderDm, renderMessage } from '../render.js';
import type { FakeSlackChannel, FakeSlackMessage } from '../seed.js';
import { bool, fail, paginate, required, type SlackArgs, str } from '../wire.js';
import type { FakeSlackDm, SlackWorkspace } from '../workspace.js';

const TYPES = new Set(['public_channel', 'private_channel', 'mpim', 'im']);

type Conversation = { channel: FakeSlackChannel } | { dm: FakeSlackDm };

/** Orders two ts strings (`seconds.sequence`) without the precision loss of parsing them as floats. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

/** `oldest` / `latest` bounds, exclusive unless `inclusive`, as conversations.history applies them. */
function inWindow(args: SlackArgs, ts: string): boolean {
  const inclusive = bool(args, 'inclusive');
  const oldest = str(args, 'oldest');
  const latest = str(args, 'latest');
  if (oldest !== undefined) {
    const c = compareTs(ts, oldest);
    if (c < 0 || (c === 0 && !inclusive)) return false;
  }
  if (latest !== undefined) {
    const c = compareTs(ts, latest);
    if (c > 0 || (c === 0 && !inclusive)) return false;
  }
  return true;
}

/** A private channel the bot is not in does not exist, as far as Slack tells the bot. */
function visibleChannel(ws: SlackWorkspace, id: string): FakeSlackChannel {
  const channel = ws.channels.find((c) => c.id === id);
  if (!channel || (channel.isPrivate && !channel.members.includes(ws.bot.userId))) fail('channel_not_found');
  return channel;
}

function wantedTypes(args: SlackArgs): Set<string> {
  const types = new Set((str(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()));
  for (const type of types) if (!TYPES.has(type)) fail('invalid_types');
  return types;
}

function listed(
  conversation: Conversation,
  types: Set<string>,
  excludeArchived: boolean,
  ws: SlackWorkspace,
) {
  if ('dm' in conversation) return types.has('im');
  const { channel } = conversation;
  if (excludeArchived && channel.isArchived) return false;
  if (channel.isPrivate) return types.has('private_channel') && channel.members.includes(ws.bot.userId);
  return types.has('public_channel');
}

function isTopLevel(message: FakeSlackMessage): boolean {
  return message.threadTs === undefined || message.threadTs === message.ts || message.broadcast === true;
}

/** A history page in Slack's shape: `response_metadata` only when there is more. */
function historyPage(page: { items: Record<string, unknown>[]; nextCursor: string }) {
  return {
    messages: page.items,
    has_more: page.nextCursor !== '',
    ...(page.nextCursor !== '' && { response_metadata: { next_cursor: page.nextCursor } }),
  };
}

export const conversationReadMethods: SlackMethodTable = {
  'conversations.list': {
    acceptsJson: false,
    run(args, { ws, pageSize }) {
      const types = wantedTypes(args);
      const excludeArchived = bool(args, 'exclude_archived');
      const all: Conversation[] = [
        ...ws.channels.map((channel) => ({ channel })),
        ...ws.dms.map((dm) => ({ dm })),
      ];
      // Slack filters each page after cutting it, so a page may hold fewer than `limit` (even
      // none) while `next_cursor` still says there is more.
      const page = paginate(all, args, 100, pageSize);
      const channels = page.items
        .filter((c) => listed(c, types, excludeArchived, ws))
        .map((c) => ('dm' in c ? renderDm(c.dm) : renderChannel(c.channel, ws)));
      return { channels, response_metadata: { next_cursor: page.nextCursor } };
    },
  },

  'conversations.info': {
    acceptsJson: false,
    run(args, { ws }) {
      const id = required(args, 'channel', 'channel_not_found');
      const dm = ws.dm(id);
      if (dm) return { channel: renderDm(dm) };
      const channel = renderChannel(visibleChannel(ws, id), ws);
      if (!bool(args, 'include_num_members')) delete channel.num_members;
      return { channel };
    },
  },

  'conversations.history': {
    acceptsJson: false,
    run(args, { ws, pageSize }) {
      const id = required(args, 'channel', 'channel_not_found');
      const history = ws.readableHistory(id);
      const newestFirst = history
        .filter((m) => isTopLevel(m) && inWindow(args, m.ts))
        .sort((a, b) => compareTs(b.ts, a.ts));
      const page = paginate(newestFirst, args, 100, pageSize);
      return {
        ...historyPage({ ...page, items: page.items.map((m) => renderMessage(m, history, ws)) }),
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
      };
    },
  },

  'conversations.replies': {
    acceptsJson: false,
    run(args, { ws, pageSize }) {
      const id = required(args, 'channel', 'channel_not_found');
      const history = ws.readableHistory(id);
      const ts = required(args, 'ts', 'thread_not_found');
      const parent = history.find((m) => m.ts === ts) ?? fail('thread_not_found');
      const thread = history
        .filter((m) => m === parent || (m.threadTs === parent.ts && m.ts !== parent.ts))
        .filter((m) => inWindow(args, m.ts))
        .sort((a, b) => compareTs(a.ts, b.ts));
      const page = paginate(thread, args, 1000, pageSize);
      return historyPage({ ...page, items: page.items.map((m) => renderMessage(m, history, ws)) });
    },
  },

  'conversations.members': {
    acceptsJson: false,
    run(args, { ws, pageSize }) {
      const channel = visibleChannel(ws, required(args, 'channel', 'channel_not_found'));
      const page = paginate(channel.members, args, 100, pageSize);
      return { members: page.items, response_metadata: { next_cursor: page.nextCursor } };
    },
  },
};
