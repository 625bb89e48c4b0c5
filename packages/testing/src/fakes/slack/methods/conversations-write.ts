import type { SlackMethodTable } from '../method.js';
import { renderChannel, renderDm } from '../render.js';
import type { FakeSlackChannel } from '../seed.js';
import { bool, fail, required, str } from '../wire.js';
import type { SlackWorkspace } from '../workspace.js';

const MAX_TOPIC = 250;

/** A channel the bot manages: it exists, is a member, and it is not archived. */
function managedChannel(ws: SlackWorkspace, id: string): FakeSlackChannel {
  const channel = ws.channels.find((c) => c.id === id);
  if (!channel || (channel.isPrivate && !channel.members.includes(ws.bot.userId))) fail('channel_not_found');
  if (channel.isArchived) fail('is_archived');
  if (!channel.members.includes(ws.bot.userId)) fail('not_in_channel');
  return channel;
}

function userIds(list: string): string[] {
  return list
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

export const conversationWriteMethods: SlackMethodTable = {
  'conversations.open': {
    acceptsJson: true,
    run(args, { ws }) {
      const existing = str(args, 'channel');
      if (existing !== undefined) {
        const dm = ws.dm(existing) ?? fail('channel_not_found');
        return {
          no_op: true,
          already_open: true,
          channel: bool(args, 'return_im') ? renderDm(dm) : { id: dm.id },
        };
      }
      const users = userIds(str(args, 'users') ?? fail('users_list_not_supplied'));
      if (users.length === 0) fail('users_list_not_supplied');
      if (users.length > 1) {
        // Not a Slack error: this fake does not model group DMs, and says so loudly (HTTP 500).
        throw new Error('the fake Slack models one-to-one DMs only (conversations.open with one user)');
      }
      const { dm, alreadyOpen } = ws.openDm(users[0]!);
      const channel = bool(args, 'return_im') ? renderDm(dm) : { id: dm.id };
      return alreadyOpen ? { no_op: true, already_open: true, channel } : { channel };
    },
  },

  'conversations.join': {
    acceptsJson: true,
    run(args, { ws }) {
      const channel = ws.channels.find((c) => c.id === required(args, 'channel', 'channel_not_found'));
      if (!channel) fail('channel_not_found');
      if (channel.isPrivate)
        fail(
          channel.members.includes(ws.bot.userId)
            ? 'method_not_supported_for_channel_type'
            : 'channel_not_found',
        );
      if (channel.isArchived) fail('is_archived');
      if (channel.members.includes(ws.bot.userId)) {
        return {
          channel: renderChannel(channel, ws),
          warning: 'already_in_channel',
          response_metadata: { warnings: ['already_in_channel'] },
        };
      }
      channel.members.push(ws.bot.userId);
      return { channel: renderChannel(channel, ws) };
    },
  },

  'conversations.create': {
    acceptsJson: true,
    run(args, { ws }) {
      const name = required(args, 'name', 'invalid_name_required');
      return { channel: renderChannel(ws.createChannel(name, bool(args, 'is_private')), ws) };
    },
  },

  'conversations.invite': {
    acceptsJson: true,
    run(args, { ws }) {
      const channel = managedChannel(ws, required(args, 'channel', 'channel_not_found'));
      const users = userIds(required(args, 'users', 'no_user'));
      if (users.length === 0) fail('no_user');
      for (const id of users) {
        if (id === ws.bot.userId) fail('cant_invite_self');
        ws.user(id);
        if (channel.members.includes(id)) fail('already_in_channel');
      }
      channel.members.push(...users);
      return { channel: renderChannel(channel, ws) };
    },
  },

  'conversations.setTopic': {
    acceptsJson: true,
    run(args, { ws }) {
      const channel = managedChannel(ws, required(args, 'channel', 'channel_not_found'));
      const topic = str(args, 'topic') ?? '';
      if (topic.length > MAX_TOPIC) fail('too_long');
      channel.topic = topic;
      return { channel: renderChannel(channel, ws) };
    },
  },
};
