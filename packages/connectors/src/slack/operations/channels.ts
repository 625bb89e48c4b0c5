import { z } from 'zod';
import { slackOperation } from '../operation.js';
import { collectPages, withCursor } from '../paging.js';
import { channelId, NextCursor, pageCursor, pageLimit, SlackChannel, userId } from '../schemas.js';
import { slackRead, slackWrite } from '../web-api.js';

const ConversationType = z.enum(['public_channel', 'private_channel', 'mpim', 'im']);

const ChannelAnswer = z.object({ channel: SlackChannel });

export const channelOperations = {
  list_channels: slackOperation({
    description:
      'List Slack channels (conversations.list): public channels by default; add private_channel, im or mpim ' +
      'to types for more. Private channels appear only if the bot is in them. Use next_cursor to continue.',
    input: z.strictObject({
      types: z
        .array(ConversationType)
        .min(1)
        .default(['public_channel'])
        .describe('Kinds of conversation: public_channel, private_channel, mpim (group DMs), im (DMs)'),
      exclude_archived: z.boolean().default(true).describe('Leave out archived channels (default true)'),
      limit: pageLimit(100),
      cursor: pageCursor,
    }),
    output: z.object({ channels: z.array(SlackChannel), next_cursor: NextCursor }),
    kind: 'read',
    run: async (ctx, { types, exclude_archived, limit, cursor }) => {
      const page = await collectPages<unknown, { channels?: unknown[] }>(
        ctx,
        'conversations.list',
        { types: [...new Set(types)].join(','), exclude_archived },
        (body) => body.channels,
        limit,
        cursor,
      );
      return withCursor({ channels: page.items }, page.nextCursor);
    },
  }),

  get_channel_info: slackOperation({
    description:
      "Get a channel's details (conversations.info): name, topic, purpose, privacy, archived, member count.",
    input: z.strictObject({
      channel: channelId,
      include_num_members: z.boolean().default(true).describe('Include num_members (default true)'),
    }),
    output: SlackChannel,
    kind: 'read',
    run: async (ctx, { channel, include_num_members }) => {
      const info = await slackRead<z.input<typeof ChannelAnswer>>(ctx, 'conversations.info', {
        channel,
        include_num_members,
      });
      return info.channel;
    },
  }),

  join_channel: slackOperation({
    description:
      'Make the bot a member of a public channel (conversations.join), so it can post and read there. ' +
      'Joining a channel it is already in is fine (already_in_channel: true).',
    input: z.strictObject({ channel: channelId }),
    output: z.object({ channel: SlackChannel, already_in_channel: z.boolean() }),
    kind: 'write',
    idempotent: true,
    run: async (ctx, { channel }) => {
      const joined = await slackWrite<z.input<typeof ChannelAnswer>>(ctx, 'conversations.join', { channel });
      const warnings = joined.response_metadata?.warnings ?? [];
      const already = joined.warning === 'already_in_channel' || warnings.includes('already_in_channel');
      return { channel: joined.channel, already_in_channel: already };
    },
  }),

  list_channel_members: slackOperation({
    description:
      "List the user IDs of a channel's members (conversations.members). Use next_cursor to continue.",
    input: z.strictObject({ channel: channelId, limit: pageLimit(100), cursor: pageCursor }),
    output: z.object({ members: z.array(z.string()), next_cursor: NextCursor }),
    kind: 'read',
    run: async (ctx, { channel, limit, cursor }) => {
      const page = await collectPages<string, { members?: string[] }>(
        ctx,
        'conversations.members',
        { channel },
        (body) => body.members,
        limit,
        cursor,
      );
      return withCursor({ members: page.items }, page.nextCursor);
    },
  }),

  create_channel: slackOperation({
    description: 'Create a channel (conversations.create); the bot becomes its first member.',
    input: z.strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9_-]{1,80}$/, 'lower-case letters, digits, - and _ only, at most 80')
        .describe('Channel name without #: lower-case letters, digits, - and _ (at most 80)'),
      is_private: z.boolean().default(false).describe('Create a private channel'),
    }),
    output: SlackChannel,
    kind: 'write',
    run: async (ctx, input) => {
      const created = await slackWrite<z.input<typeof ChannelAnswer>>(ctx, 'conversations.create', input);
      return created.channel;
    },
  }),

  invite_to_channel: slackOperation({
    description: 'Add people to a channel the bot is in (conversations.invite).',
    input: z.strictObject({
      channel: channelId,
      users: z.array(userId).min(1).max(1000).describe('User IDs to add (up to 1000)'),
    }),
    output: SlackChannel,
    kind: 'write',
    run: async (ctx, { channel, users }) => {
      const invited = await slackWrite<z.input<typeof ChannelAnswer>>(ctx, 'conversations.invite', {
        channel,
        users: users.join(','),
      });
      return invited.channel;
    },
  }),

  set_channel_topic: slackOperation({
    description: "Set a channel's topic, shown in its header (conversations.setTopic).",
    input: z.strictObject({
      channel: channelId,
      topic: z.string().max(250).describe('The new topic (at most 250 characters; empty clears it)'),
    }),
    output: SlackChannel,
    kind: 'write',
    idempotent: true,
    run: async (ctx, input) => {
      const updated = await slackWrite<z.input<typeof ChannelAnswer>>(ctx, 'conversations.setTopic', input);
      return updated.channel;
    },
  }),
};
