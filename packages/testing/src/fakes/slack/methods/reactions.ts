import type { SlackMethodTable } from '../method.js';
import type { FakeSlackMessage } from '../seed.js';
import { fail, required, type SlackArgs } from '../wire.js';
import type { SlackWorkspace } from '../workspace.js';

/** Emoji names as Slack accepts them, without colons: `thumbsup`, `+1`, `white_check_mark`. */
const EMOJI_NAME = /^[a-z0-9_+'-]+$/;

function target(args: SlackArgs, ws: SlackWorkspace): { message: FakeSlackMessage; name: string } {
  const messages = ws.readableHistory(required(args, 'channel', 'no_item_specified'));
  const ts = required(args, 'timestamp', 'no_item_specified');
  const message = messages.find((m) => m.ts === ts) ?? fail('message_not_found');
  const name = required(args, 'name', 'invalid_name');
  if (!EMOJI_NAME.test(name)) fail('invalid_name');
  return { message, name };
}

export const reactionMethods: SlackMethodTable = {
  'reactions.add': {
    acceptsJson: true,
    run(args, { ws }) {
      const { message, name } = target(args, ws);
      const users = message.reactions?.[name] ?? [];
      if (users.includes(ws.bot.userId)) fail('already_reacted');
      message.reactions = { ...message.reactions, [name]: [...users, ws.bot.userId] };
      return {};
    },
  },

  'reactions.remove': {
    acceptsJson: true,
    run(args, { ws }) {
      const { message, name } = target(args, ws);
      const users = message.reactions?.[name] ?? [];
      if (!users.includes(ws.bot.userId)) fail('no_reaction');
      users.splice(users.indexOf(ws.bot.userId), 1);
      return {};
    },
  },
};
