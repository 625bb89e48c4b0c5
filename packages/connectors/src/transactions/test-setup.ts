import { createHmac } from 'node:crypto';
import { type CreateIntegrationOptions, createIntegration, type Integration } from '@patchbay/core';
import {
  type FakeTransactions,
  type FakeTransactionsOptions,
  type RecordedRequest,
  startFakeTransactions,
} from '@patchbay/testing';
import { transactionsIntegration } from './transactions.js';

export interface TransactionsRig {
  fake: FakeTransactions;
  payments: Integration<typeof transactionsIntegration>;
  close(): Promise<void>;
}

/**
 * For this folder's tests: a fake payments API on loopback and the connector pointed at it,
 * with short backoffs so retried failures do not slow the suite (server-given waits are still
 * honoured).
 */
export async function startTransactionsRig(
  options: { fake?: FakeTransactionsOptions; config?: Record<string, unknown> } & Omit<
    CreateIntegrationOptions,
    'values'
  > = {},
): Promise<TransactionsRig> {
  const { fake: fakeOptions, config, ...create } = options;
  const fake = await startFakeTransactions(fakeOptions);
  const payments = createIntegration(transactionsIntegration, {
    env: {},
    logger: false,
    metricsRegistry: false,
    client: { retry: { initialDelay: 1, maxDelay: 5 } },
    ...create,
    values: {
      baseUrl: fake.apiUrl,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      hmacSecret: fake.hmacSecret,
      ...config,
    },
  });
  return {
    fake,
    payments,
    async close() {
      await payments.close();
      await fake.close();
    },
  };
}

/**
 * The signature a request should carry, computed here from the API's definition with
 * node:crypto (not with the connector's signer), so a match proves the two agree.
 */
export function expectedSignature(req: RecordedRequest, secret: string): string {
  return createHmac('sha256', secret)
    .update(`${req.headers['x-timestamp']}\n${req.method}\n${req.url}\n`)
    .update(req.body)
    .digest('hex');
}
