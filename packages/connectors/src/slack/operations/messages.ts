import { z } from 'zod';
import { slackOperation } from '../operation.js';
import { collectPages, withCursor } from '../paging.js';
import {
  blocks,
  channelId,
  messageText,
  messageTs,
  NextCursor,
  pageCursor,
  pageLimit,
  SlackMessage,
} from '../schemas.js';
import { slackRead, slackWrite } from '../web-api.js';

/** A history bound: a message ts, or whole Unix seconds. */
const timeBound = z.string().regex(/^\d+(\.\d+)?$/, 'must be a ts like 1700000000.000100 or Unix seconds');

const needsTextOrBlocks = {
  message: 'give text or blocks (or both: text is then the notification fallback)',
  path: ['text'],
};

export const SendMessageInput = z
  .strictObject({
    channel: channelId.describe(
      "Where to post: a channel ID (C…), a DM ID (D…), or a user ID (U…) to post in the app's DM with that person",
    ),
    text: messageText
      .optional()
      .describe('Message text in Slack mrkdwn (*bold*, _italic_, <https://x|links>, <@U123> mentions)'),
    blocks: blocks.optional(),
    thread_ts: messageTs.optional().describe("Reply in a thread: the parent message's ts"),
    reply_broadcast: z.boolean().optional().describe('With thread_ts: also show the reply in the channel'),
    unfurl_links: z.boolean().optional().describe('Show previews of linked web pages'),
    unfurl_media: z.boolean().optional().describe('Show previews of linked images and videos'),
    mrkdwn: z.boolean().optional().describe('Format text as mrkdwn (Slack default: true)'),
  })
  .refine((i) => i.text !== undefined || i.blocks !== undefined, needsTextOrBlocks)
  .refine((i) => !i.reply_broadcast || i.thread_ts !== undefined, {
    message: 'reply_broadcast needs thread_ts',
    path: ['reply_broadcast'],
  });

export const PostedMessage = z.object({ channel: z.string(), ts: z.string(), message: SlackMessage });

const History = z.object({ messages: z.array(SlackMessage), has_more: z.boolean(), next_cursor: NextCursor });

export const messageOperations = {
  send_message: slackOperation({
    description:
      'Post a message to a Slack channel, DM or thread (chat.postMessage). Returns the channel and the ts ' +
      'that identifies the new message (use it for replies, edits and reactions). The bot must be a member ' +
      'of the channel (join_channel) or the call fails with not_in_channel.',
    input: SendMessageInput,
    output: PostedMessage,
    kind: 'write',
    run: async (ctx, input) => {
      const posted = await slackWrite<z.input<typeof PostedMessage>>(ctx, 'chat.postMessage', input);
      return { channel: posted.channel, ts: posted.ts, message: posted.message };
    },
  }),

  update_message: slackOperation({
    description:
      "Edit a message the bot posted earlier (chat.update): replace its text and/or blocks. Needs the message's channel and ts.",
    input: z
      .strictObject({
        channel: channelId,
        ts: messageTs.describe('The ts of the message to edit'),
        text: messageText.optional().describe('New text (Slack mrkdwn)'),
        blocks: blocks.optional(),
      })
      .refine((i) => i.text !== undefined || i.blocks !== undefined, needsTextOrBlocks),
    output: z.object({
      channel: z.string(),
      ts: z.string(),
      text: z.string(),
      message: SlackMessage.partial(),
    }),
    kind: 'write',
    // Setting the same text twice leaves the same message: safe to retry.
    idempotent: true,
    run: async (ctx, input) => {
      const updated = await slackWrite<{ channel: string; ts: string; text: string; message: object }>(
        ctx,
        'chat.update',
        input,
      );
      return { channel: updated.channel, ts: updated.ts, text: updated.text, message: updated.message };
    },
  }),

  delete_message: slackOperation({
    description: 'Delete a message the bot posted (chat.delete).',
    input: z.strictObject({ channel: channelId, ts: messageTs.describe('The ts of the message to delete') }),
    output: z.object({ channel: z.string(), ts: z.string() }),
    kind: 'write',
    run: async (ctx, input) => {
      const deleted = await slackWrite<{ channel: string; ts: string }>(ctx, 'chat.delete', input);
      return { channel: deleted.channel, ts: deleted.ts };
    },
  }),

  get_channel_history: slackOperation({
    description:
      "Read a channel's or DM's recent messages, newest first (conversations.history). Thread replies are " +
      'not included (use get_thread_replies with the parent ts). Narrow by time with oldest/latest; continue ' +
      'with next_cursor.',
    input: z.strictObject({
      channel: channelId,
      limit: pageLimit(20),
      cursor: pageCursor,
      oldest: timeBound.optional().describe('Only messages after this ts or Unix time in seconds'),
      latest: timeBound.optional().describe('Only messages before this ts or Unix time in seconds'),
      inclusive: z.boolean().optional().describe('Include messages exactly at oldest/latest'),
    }),
    output: History,
    kind: 'read',
    run: async (ctx, { channel, limit, cursor, oldest, latest, inclusive }) => {
      const page = await collectPages<unknown, { messages?: unknown[] }>(
        ctx,
        'conversations.history',
        { channel, oldest, latest, inclusive },
        (body) => body.messages,
        limit,
        cursor,
      );
      return withCursor({ messages: page.items, has_more: page.nextCursor !== undefined }, page.nextCursor);
    },
  }),

  get_thread_replies: slackOperation({
    description:
      'Read a thread: the parent message followed by its replies, oldest first (conversations.replies).',
    input: z.strictObject({
      channel: channelId,
      ts: messageTs.describe("The thread parent's ts"),
      limit: pageLimit(100),
      cursor: pageCursor,
    }),
    output: History,
    kind: 'read',
    run: async (ctx, { channel, ts, limit, cursor }) => {
      const page = await collectPages<unknown, { messages?: unknown[] }>(
        ctx,
        'conversations.replies',
        { channel, ts },
        (body) => body.messages,
        limit,
        cursor,
      );
      return withCursor({ messages: page.items, has_more: page.nextCursor !== undefined }, page.nextCursor);
    },
  }),

  get_message_permalink: slackOperation({
    description: 'Get a shareable link to a message (chat.getPermalink).',
    input: z.strictObject({ channel: channelId, ts: messageTs.describe("The message's ts") }),
    output: z.object({ channel: z.string(), permalink: z.string().url() }),
    kind: 'read',
    cache: { ttl: 3600 },
    run: async (ctx, { channel, ts }) => {
      const link = await slackRead<{ channel: string; permalink: string }>(ctx, 'chat.getPermalink', {
        channel,
        message_ts: ts,
      });
      return { channel: link.channel, permalink: link.permalink };
    },
  }),
};
