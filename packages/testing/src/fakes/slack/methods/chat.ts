import type { SlackMethodTable } from '../method.js';
import { renderMessage } from '../render.js';
import type { FakeSlackMessage } from '../seed.js';
import { bool, fail, jsonArg, required, type SlackArgs, str } from '../wire.js';
import type { SlackWorkspace } from '../workspace.js';

/** Slack truncates longer text; `msg_too_long` past this. */
const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;

/** `blocks` must be an array of at most 50 objects, each with a string `type`. */
function readBlocks(args: SlackArgs): unknown[] | undefined {
  const blocks = jsonArg(args, 'blocks', 'invalid_blocks_format');
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) fail('invalid_blocks_format');
  const wellFormed = blocks.every(
    (b) => typeof b === 'object' && b !== null && typeof (b as { type?: unknown }).type === 'string',
  );
  if (!wellFormed || blocks.length > MAX_BLOCKS) fail('invalid_blocks');
  return blocks;
}

function readContent(args: SlackArgs): { text: string; blocks: unknown[] | undefined } {
  const text = str(args, 'text');
  const blocks = readBlocks(args);
  if (text === undefined && blocks === undefined) fail('no_text');
  if (text !== undefined && text.length > MAX_TEXT) fail('msg_too_long');
  return { text: text ?? '', blocks };
}

function findMessage(messages: FakeSlackMessage[], ts: string): FakeSlackMessage {
  return messages.find((m) => m.ts === ts) ?? fail('message_not_found');
}

function permalink(ws: SlackWorkspace, channel: string, message: FakeSlackMessage): string {
  const base = `https://${ws.team.domain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
  return message.threadTs && message.threadTs !== message.ts
    ? `${base}?thread_ts=${message.threadTs}&cid=${channel}`
    : base;
}

export const chatMethods: SlackMethodTable = {
  'chat.postMessage': {
    acceptsJson: true,
    run(args, { ws }) {
      const { id, messages } = ws.writableHistory(required(args, 'channel', 'channel_not_found'));
      const { text, blocks } = readContent(args);
      const message: FakeSlackMessage = {
        ts: ws.nextTs(),
        user: ws.bot.userId,
        botId: ws.bot.botId,
        text,
        ...(blocks && { blocks }),
      };
      const threadTs = str(args, 'thread_ts');
      // Slack posts a reply to an unknown thread as an ordinary message.
      const parent = threadTs === undefined ? undefined : messages.find((m) => m.ts === threadTs);
      if (parent) {
        parent.threadTs = parent.ts;
        message.threadTs = parent.ts;
        if (bool(args, 'reply_broadcast')) message.broadcast = true;
      }
      messages.push(message);
      return { channel: id, ts: message.ts, message: renderMessage(message, messages, ws) };
    },
  },

  'chat.update': {
    acceptsJson: true,
    run(args, { ws }) {
      const { id, messages } = ws.writableHistory(required(args, 'channel', 'channel_not_found'));
      const message = findMessage(messages, required(args, 'ts', 'message_not_found'));
      if (message.user !== ws.bot.userId) fail('cant_update_message');
      const { text, blocks } = readContent(args);
      message.text = text;
      if (blocks) message.blocks = blocks;
      message.edited = { user: ws.bot.userId, ts: ws.nextTs() };
      return { channel: id, ts: message.ts, text, message: renderMessage(message, messages, ws) };
    },
  },

  'chat.delete': {
    acceptsJson: true,
    run(args, { ws }) {
      const { id, messages } = ws.writableHistory(required(args, 'channel', 'channel_not_found'));
      const message = findMessage(messages, required(args, 'ts', 'message_not_found'));
      if (message.user !== ws.bot.userId) fail('cant_delete_message');
      messages.splice(messages.indexOf(message), 1);
      return { channel: id, ts: message.ts };
    },
  },

  'chat.getPermalink': {
    acceptsJson: false,
    run(args, { ws }) {
      const channel = required(args, 'channel', 'channel_not_found');
      const messages = ws.readableHistory(channel);
      const message = findMessage(messages, required(args, 'message_ts', 'message_not_found'));
      return { channel, permalink: permalink(ws, channel, message) };
    },
  },
};
