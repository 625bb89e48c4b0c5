import { z } from 'zod';
import { slackOperation } from '../operation.js';
import { channelId, messageTs } from '../schemas.js';
import { slackWrite } from '../web-api.js';

/** Agents often write `:thumbsup:`; Slack wants the bare name. */
const emojiName = z
  .string()
  .transform((name) => name.replace(/^:(.+):$/, '$1'))
  .pipe(z.string().regex(/^[a-z0-9_+'-]+$/, 'an emoji name like thumbsup, +1 or white_check_mark'))
  .describe('Emoji name, with or without colons: thumbsup, :eyes:, white_check_mark');

const ReactionInput = z.strictObject({ channel: channelId, ts: messageTs, name: emojiName });
const Reaction = z.object({ channel: z.string(), ts: z.string(), name: z.string() });

export const reactionOperations = {
  add_reaction: slackOperation({
    description:
      'Add an emoji reaction from the bot to a message (reactions.add), e.g. eyes or white_check_mark.',
    input: ReactionInput,
    output: Reaction,
    kind: 'write',
    run: async (ctx, { channel, ts, name }) => {
      await slackWrite(ctx, 'reactions.add', { channel, timestamp: ts, name });
      return { channel, ts, name };
    },
  }),

  remove_reaction: slackOperation({
    description: "Remove the bot's emoji reaction from a message (reactions.remove).",
    input: ReactionInput,
    output: Reaction,
    kind: 'write',
    run: async (ctx, { channel, ts, name }) => {
      await slackWrite(ctx, 'reactions.remove', { channel, timestamp: ts, name });
      return { channel, ts, name };
    },
  }),
};
