import { createIntegration, type Integration } from '@patchbay/core';
import {
  type FakeSlack,
  type FakeSlackOptions,
  type LogSink,
  logSink,
  startFakeSlack,
} from '@patchbay/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { slack } from './slack.js';

/** What a Slack test works with: the fake on loopback, the live integration, and its logs. */
export interface SlackUnderTest extends AsyncDisposable {
  fake: FakeSlack;
  hub: Integration<typeof slack>;
  logs: LogSink;
  registry: Registry;
}

/**
 * Starts a fake Slack and a `slack` integration configured for it through the seed's env names
 * (`SLACK_BOT_TOKEN`, `SLACK_API_URL`), logging at debug into a sink. For this folder's tests.
 */
export async function slackUnderTest(
  options: FakeSlackOptions & { env?: Record<string, string> } = {},
): Promise<SlackUnderTest> {
  const fake = await startFakeSlack(options);
  const logs = logSink();
  const registry = new Registry();
  const hub = createIntegration(slack, {
    env: { SLACK_BOT_TOKEN: fake.token, SLACK_API_URL: fake.apiUrl, ...options.env },
    logger: pino({ level: 'debug' }, logs),
    metricsRegistry: registry,
  });
  return {
    fake,
    hub,
    logs,
    registry,
    async [Symbol.asyncDispose]() {
      await hub.close();
      await fake.close();
    },
  };
}
