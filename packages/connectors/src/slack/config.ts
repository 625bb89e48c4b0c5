import { secret } from '@patchbay/core';
import { z } from 'zod';

/**
 * Slack's settings. `token` is the app's bot token (`xoxb-…`); `signingSecret` verifies the
 * requests Slack sends us (events, interactivity) and is not used for calls to Slack.
 */
export const slackConfig = z.object({
  token: secret(),
  baseUrl: z.string().url().default('https://slack.com/api'),
  signingSecret: secret().optional(),
});

export type SlackConfig = z.output<typeof slackConfig>;

/** Env names from seed 002 (`SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`), and the base URL's. */
export const SLACK_ENV = {
  token: 'SLACK_BOT_TOKEN',
  baseUrl: 'SLACK_API_URL',
  signingSecret: 'SLACK_SIGNING_SECRET',
} as const;
