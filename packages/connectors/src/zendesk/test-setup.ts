import { type CreateIntegrationOptions, createIntegration, type Integration } from '@patchbay/core';
import { type FakeZendesk, type FakeZendeskOptions, startFakeZendesk } from '@patchbay/testing';
import { zendeskIntegration } from './zendesk.js';

export interface ZendeskRig {
  fake: FakeZendesk;
  zendesk: Integration<typeof zendeskIntegration>;
  close(): Promise<void>;
}

/**
 * For this folder's tests: a fake Zendesk on loopback and the connector pointed at it, with
 * short backoffs so retried 5xx do not slow the suite (server-given waits are still honoured).
 */
export async function startZendeskRig(
  options: { fake?: FakeZendeskOptions; config?: Record<string, unknown> } & Omit<
    CreateIntegrationOptions,
    'values'
  > = {},
): Promise<ZendeskRig> {
  const { fake: fakeOptions, config, ...create } = options;
  const fake = await startFakeZendesk(fakeOptions);
  const zendesk = createIntegration(zendeskIntegration, {
    env: {},
    logger: false,
    metricsRegistry: false,
    client: { retry: { initialDelay: 1, maxDelay: 5 } },
    ...create,
    values: {
      baseUrl: fake.url,
      email: fake.email,
      apiToken: fake.apiToken,
      customerIdFieldId: fake.customerIdFieldId,
      ...config,
    },
  });
  return {
    fake,
    zendesk,
    async close() {
      await zendesk.close();
      await fake.close();
    },
  };
}
