import { bearer, defineIntegration } from '@patchbay/core';
import { SLACK_ENV, slackConfig } from './config.js';
import { slackResponseHandler } from './handle-response.js';
import { channelOperations } from './operations/channels.js';
import { messageOperations } from './operations/messages.js';
import { notifyUserOperation } from './operations/notify-user.js';
import { reactionOperations } from './operations/reactions.js';
import { userOperations } from './operations/users.js';
import { slackRead } from './web-api.js';

/**
 * Slack's rate limits are per method, per workspace, per app, in tiers:
 *
 * | tier    | budget          | methods used here                                                    |
 * | ------- | --------------- | -------------------------------------------------------------------- |
 * | 2       | 20+ / minute    | conversations.list, users.list, conversations.create, .setTopic, reactions.remove |
 * | 3       | 50+ / minute    | conversations.info, .history*, .replies*, .open, .join, .invite, chat.update, chat.delete, users.lookupByEmail, reactions.add |
 * | 4       | 100+ / minute   | users.info, conversations.members                                     |
 * | special | per method      | chat.postMessage (about 1 / second / channel, plus a workspace limit), auth.test, chat.getPermalink |
 *
 * (*) Since 2025 apps outside the Slack Marketplace get 1 / minute and 15 messages per page on
 * conversations.history and .replies.
 *
 * The kernel's limiter is one bucket per integration and credential; it cannot yet keep one per
 * method or tier. So the bucket is an envelope at tier 4's rate (no method here is allowed more
 * for long, bar posting to many channels), and Slack's 429 + `Retry-After` does the fine
 * shaping: reads wait exactly as asked and retry; writes fail at once with `retryAfter` (the
 * kernel does not resend a POST that reached the server). A 429 pauses every Slack call of this
 * token until `Retry-After`, not only that method's: cautious, never wrong.
 */
const SLACK_RATE_LIMIT = { maxRequests: 100, windowSeconds: 60 };

/**
 * The Slack Web API connector (seed 002: messages, channels, users, user notifications).
 *
 * Slack methods are `POST /api/<method>` with JSON for writes and `GET /api/<method>?…` for
 * reads, with the bot token as `Authorization: Bearer`. Slack answers failures with HTTP 200 and
 * `{"ok": false, "error": "…"}`; the client's response hook maps those to the kernel's errors
 * (see `SLACK_ERROR_KINDS`), and `slackErrorOf(error)` gives Slack's code and missing scopes.
 *
 * @example
 * const slackHub = createIntegration(slack, { env: process.env }); // SLACK_BOT_TOKEN, SLACK_API_URL
 * const { ts } = await slackHub.call('send_message', { channel: 'C0123ABCD', text: 'Deployed :rocket:' });
 * await slackHub.call('notify_user', { email: 'alice@example.com', text: 'Your report is ready' });
 */
export const slack = defineIntegration({
  name: 'slack',
  description: 'Slack: post and edit messages, notify people, manage channels, look up users',
  config: slackConfig,
  env: SLACK_ENV,
  auth: (config) => bearer(config.token),
  policies: { rateLimit: SLACK_RATE_LIMIT },
  client: (config) => ({
    handleResponse: slackResponseHandler([config.token, config.signingSecret ?? '']),
    // Slack ignores Idempotency-Key: a retried chat.postMessage would post twice.
    idempotencyHeader: false,
  }),
  health: (ctx) => slackRead(ctx, 'auth.test', {}),
  operations: {
    ...messageOperations,
    notify_user: notifyUserOperation,
    ...channelOperations,
    ...userOperations,
    ...reactionOperations,
  },
});
