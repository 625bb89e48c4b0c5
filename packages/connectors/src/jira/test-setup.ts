import { createIntegration, type Integration } from '@patchbay/core';
import { type FakeJira, type FakeJiraOptions, startFakeJira } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { jira } from './integration.js';

/** A fake Jira site and the connector configured for it through seed 002's env names. */
export interface JiraTestBed extends AsyncDisposable {
  fake: FakeJira;
  jira: Integration<typeof jira>;
  /** The `Authorization` header the connector must send. */
  basicAuth: string;
}

/**
 * Starts a fake Jira and a connector pointed at it. `credential` overrides what the connector
 * sends (to test a wrong token, or a canary); the fake still expects its own.
 */
export async function startJiraTestBed(
  options: FakeJiraOptions = {},
  credential?: { username?: string; apiToken?: string },
): Promise<JiraTestBed> {
  const fake = await startFakeJira(options);
  const username = credential?.username ?? fake.email;
  const apiToken = credential?.apiToken ?? fake.apiToken;
  const integration = createIntegration(jira, {
    env: { JIRA_BASE_URL: fake.url, JIRA_USERNAME: username, JIRA_API_TOKEN: apiToken },
    logger: false,
    metricsRegistry: new Registry(),
  });
  return {
    fake,
    jira: integration,
    basicAuth: `Basic ${Buffer.from(`${username}:${apiToken}`).toString('base64')}`,
    async [Symbol.asyncDispose]() {
      await integration.close();
      await fake.close();
    },
  };
}
