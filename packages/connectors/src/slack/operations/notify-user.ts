import { z } from 'zod';
import { slackOperation } from '../operation.js';
import { blocks, messageText, SlackMessage, userId } from '../schemas.js';
import { slackWrite } from '../web-api.js';
import { email, openDm, userIdByEmail } from './users.js';

export const NotifyUserInput = z
  .strictObject({
    user: userId.optional().describe('Who to notify, by Slack user ID (give this or email)'),
    email: email
      .optional()
      .describe('Who to notify, by the email address of their Slack account (give this or user)'),
    text: messageText
      .optional()
      .describe('Message text in Slack mrkdwn; with blocks it is the notification fallback'),
    blocks: blocks.optional(),
    unfurl_links: z.boolean().optional().describe('Show previews of linked web pages'),
  })
  .refine((i) => (i.user === undefined) !== (i.email === undefined), {
    message: 'give exactly one of user and email',
    path: ['user'],
  })
  .refine((i) => i.text !== undefined || i.blocks !== undefined, {
    message: 'give text or blocks (or both)',
    path: ['text'],
  });

export const notifyUserOperation = slackOperation({
  description:
    'Send a person a direct message from the bot, by user ID or by email (seed: user notifications). ' +
    'Looks the email up (users.lookupByEmail), opens the DM (conversations.open) and posts (chat.postMessage). ' +
    'Returns the user ID, the DM channel and the message ts.',
  input: NotifyUserInput,
  output: z.object({ user: z.string(), channel: z.string(), ts: z.string(), message: SlackMessage }),
  kind: 'write',
  run: async (ctx, input) => {
    const user = input.user ?? (await userIdByEmail(ctx, input.email!));
    const { channel } = await openDm(ctx, user);
    const posted = await slackWrite<{ channel: string; ts: string; message: z.input<typeof SlackMessage> }>(
      ctx,
      'chat.postMessage',
      { channel, text: input.text, blocks: input.blocks, unfurl_links: input.unfurl_links },
    );
    return { user, channel: posted.channel, ts: posted.ts, message: posted.message };
  },
});
