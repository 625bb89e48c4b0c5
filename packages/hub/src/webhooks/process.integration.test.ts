// Processing from storage: seed 004's cache invalidation against the real transactions connector
// and its fake, fan-out to the bus port and the SSE stream, retries, dead letters and replay, the
// test route and the logs.
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transactionsIntegration } from '@patchbay/connectors';
import { type FakeTransactions, startFakeTransactions } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookHub, TOKENS, type WebhookHub } from './fixtures/webhook-hub.js';
import { replayWebhookDeadLetter } from './replay.js';
import type { EventPublisher, NormalizedEvent } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, navigated freely by the assertions
type WireJson = Record<string, any>;

const GITHUB_SECRET = 'github-secret-process';
const PAYMENTS_SECRET = 'payments-webhook-hmac';

/** The bus port as the lead's RabbitMQ adapter sees it: every publish, and a switch to make it fail. */
class RecordingPublisher implements EventPublisher {
  readonly published: { routingKey: string; event: NormalizedEvent }[] = [];
  failing = false;
  async publish(routingKey: string, event: NormalizedEvent): Promise<void> {
    if (this.failing) throw new Error('bus unreachable');
    this.published.push({ routingKey, event });
  }
}

let hub: WebhookHub;
let dir: string;
let fake: FakeTransactions;
const publisher = new RecordingPublisher();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-webhooks-process-'));
  fake = await startFakeTransactions();
  hub = await startWebhookHub({
    storage: { dataDir: dir },
    integrations: [transactionsIntegration],
    env: {
      TRANSACTIONS_API_URL: fake.apiUrl,
      TRANSACTIONS_CLIENT_ID: fake.clientId,
      TRANSACTIONS_CLIENT_SECRET: fake.clientSecret,
      TRANSACTIONS_HMAC_SECRET: fake.hmacSecret,
    },
    publisher,
    webhooks: {
      processing: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 },
      sources: {
        github: { verify: 'github', secrets: [GITHUB_SECRET] },
        payments: {
          verify: 'hmac',
          secrets: [PAYMENTS_SECRET],
          hmac: { header: 'X-HMAC-Signature' },
          deliveryId: { pointer: '/event_id' },
          transform: 'transactions',
        },
      },
    },
  });
});

let closed = false;
afterAll(async () => {
  if (!closed) await hub?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

async function sendGithub(body: object, delivery: string = randomUUID()) {
  const text = JSON.stringify(body);
  const response = await fetch(`${hub.url}/api/integrations/webhook/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(text).digest('hex')}`,
    },
    body: text,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; deliveryId: string };
}

const statusOf = async (id: string) => (await hub.repositories.webhookDeliveries.get(id))?.status;

describe('seed 004: a transaction update drops its cached status', () => {
  it('makes the next status read go upstream again', async () => {
    const txn = fake.seedTransaction({
      amount: 50000,
      currency: 'USD',
      customer_id: 'C-1001',
      status: 'pending',
    });
    const payments = hub.host?.get('transactions')?.integration;
    if (!payments) throw new Error('transactions integration not hosted');
    const reads = () =>
      fake.requests.filter((r) => r.method === 'GET' && r.url.endsWith(`/transactions/${txn.id}`)).length;
    await payments.call('get_transaction_status', { transactionId: txn.id });
    await payments.call('get_transaction_status', { transactionId: txn.id });
    expect(reads()).toBe(1); // cached

    const body = JSON.stringify({
      event: 'transaction.updated',
      event_id: `evt_${randomUUID()}`,
      transaction_id: txn.id,
      status: 'completed',
    });
    const response = await fetch(`${hub.url}/api/integrations/webhook/payments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hmac-signature': createHmac('sha256', PAYMENTS_SECRET).update(body).digest('hex'),
      },
      body,
    });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    await expect.poll(() => statusOf(id)).toBe('processed');

    await payments.call('get_transaction_status', { transactionId: txn.id });
    expect(reads()).toBe(2);
    const bus = publisher.published.find((p) => p.event.id === JSON.parse(body).event_id);
    expect(bus?.routingKey).toBe('webhooks.payments.transaction.updated');
  });
});

describe('fan-out', () => {
  it('publishes webhooks.<source>.<type> with the normalized event', async () => {
    const { id, deliveryId } = await sendGithub({ action: 'closed', issue: { number: 3 } });
    await expect.poll(() => statusOf(id)).toBe('processed');
    const published = publisher.published.find((p) => p.event.id === deliveryId);
    expect(published?.routingKey).toBe('webhooks.github.issues.closed');
    expect(published?.event).toMatchObject({
      source: 'github',
      type: 'issues.closed',
      data: { issue: { number: 3 } },
    });
  });

  it('streams events as SSE, filtered, and resumes after Last-Event-ID from storage', async () => {
    const controller = new AbortController();
    const response = await fetch(`${hub.url}/api/events?source=github&type=issues.*`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        text += Buffer.from(chunk.value).toString();
      }
    };
    const first = await sendGithub({ action: 'opened', issue: { number: 10 } });
    await readUntil(first.deliveryId);
    const second = await sendGithub({ action: 'labeled', issue: { number: 10 } });
    await readUntil(second.deliveryId);
    controller.abort();
    const frames = text.split('\n\n').filter((f) => f.startsWith('id: '));
    const ids = frames.map((f) => Number(/^id: (\d+)/.exec(f)?.[1]));
    expect(frames.map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)).type)).toEqual([
      'issues.opened',
      'issues.labeled',
    ]);

    // Resume after the first: only the second comes back (read from storage), then live events.
    const resumed = new AbortController();
    const again = await fetch(`${hub.url}/api/events?source=github`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}`, 'last-event-id': String(ids[0]) },
      signal: resumed.signal,
    });
    const reader2 = again.body?.getReader();
    let text2 = '';
    while (!text2.includes(second.deliveryId)) {
      const chunk = await reader2?.read();
      if (!chunk || chunk.done) throw new Error('stream ended');
      text2 += Buffer.from(chunk.value).toString();
    }
    resumed.abort();
    expect(text2).not.toContain(first.deliveryId);
    expect(text2).toContain(`id: ${ids[1]}`);
  });

  it('needs a token for the stream', async () => {
    expect((await fetch(`${hub.url}/api/events`)).status).toBe(401);
  });
});

describe('failures', () => {
  it('retries with backoff, dead-letters after the last attempt, and replays from the dead letter', async () => {
    publisher.failing = true;
    const { id, deliveryId } = await sendGithub({ action: 'deleted', issue: { number: 4 } });
    await expect.poll(() => statusOf(id)).toBe('dead');
    const delivery = await hub.repositories.webhookDeliveries.get(id);
    expect(delivery?.attempts).toBe(3);
    expect(delivery?.lastError).toMatchObject({ message: 'bus unreachable' });
    const letters = await hub.repositories.deadLetters.list({ integration: 'webhook' });
    const letter = letters.rows.find((l) => l.idempotencyKey === deliveryId);
    expect(letter).toMatchObject({ operation: 'github', status: 'pending', attempts: 3 });

    publisher.failing = false;
    const outcome = await replayWebhookDeadLetter(hub.runtime, letter as NonNullable<typeof letter>);
    expect(outcome.ok).toBe(true);
    expect(await statusOf(id)).toBe('processed');
    expect((await hub.repositories.deadLetters.get(letter?.id ?? ''))?.status).toBe('replayed');
    expect(publisher.published.filter((p) => p.event.id === deliveryId)).toHaveLength(1);
  });

  it('a replay that fails again marks the letter failed and adds no second one', async () => {
    publisher.failing = true;
    const { id, deliveryId } = await sendGithub({ action: 'pinned', issue: { number: 5 } });
    await expect.poll(() => statusOf(id)).toBe('dead');
    const letter = (await hub.repositories.deadLetters.list({ integration: 'webhook' })).rows.find(
      (l) => l.idempotencyKey === deliveryId,
    );
    const outcome = await replayWebhookDeadLetter(hub.runtime, letter as NonNullable<typeof letter>);
    publisher.failing = false;
    expect(outcome).toMatchObject({ ok: false, httpStatus: 502 });
    expect((await hub.repositories.deadLetters.get(letter?.id ?? ''))?.status).toBe('failed');
    const all = (await hub.repositories.deadLetters.list({ integration: 'webhook' })).rows;
    expect(all.filter((l) => l.idempotencyKey === deliveryId)).toHaveLength(1);
    expect(await statusOf(id)).toBe('dead');
  });
});

describe('test route and logs', () => {
  it('sends a signed sample through the whole path and reports every step', async () => {
    const response = await fetch(`${hub.url}/api/integrations/webhook/github/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.operator}` },
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      ok: boolean;
      steps: { step: string; ok: boolean; detail: WireJson }[];
    };
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual([
      'sign',
      'receive',
      'store',
      'transform',
      'invalidate',
      'publish',
      'fan-out',
    ]);
    expect(report.steps[3]?.detail.event).toMatchObject({ source: 'github', type: 'ping' });
    expect(report.steps[5]?.detail.routingKey).toBe('webhooks.github.ping');
    const stored = await hub.repositories.webhookDeliveries.get(report.steps[2]?.detail.id);
    expect(stored).toMatchObject({ test: true, status: 'processed' });
  });

  it('reports a failing step', async () => {
    publisher.failing = true;
    const response = await fetch(`${hub.url}/api/integrations/webhook/payments/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.operator}` },
    });
    publisher.failing = false;
    const report = (await response.json()) as {
      ok: boolean;
      steps: { step: string; ok: boolean; detail: WireJson }[];
    };
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.step === 'publish')).toMatchObject({
      ok: false,
      detail: { error: 'bus unreachable' },
    });
  });

  it('pages deliveries with their status and a redacted payload', async () => {
    await sendGithub({ action: 'edited', password: 'hunter2', api_key: 'k-123', issue: { number: 6 } });
    const response = await fetch(`${hub.url}/api/integrations/webhook/github/logs?limit=2`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}` },
    });
    const logs = (await response.json()) as { rows: WireJson[]; nextCursor?: string };
    expect(logs.rows).toHaveLength(2);
    expect(logs.rows[0]?.payload).toMatchObject({ action: 'edited', password: '***', api_key: '***' });
    expect(logs.rows[0]).toMatchObject({ verification: 'verified' });
    expect(JSON.stringify(logs)).not.toContain('hunter2');
    expect(logs.nextCursor).toBeDefined();
    const next = await fetch(
      `${hub.url}/api/integrations/webhook/github/logs?limit=2&cursor=${logs.nextCursor}`,
      {
        headers: { authorization: `Bearer ${TOKENS.viewer}` },
      },
    );
    const page2 = (await next.json()) as { rows: { id: string }[] };
    expect(page2.rows[0]?.id).not.toBe(logs.rows[0]?.id);
  });
});

describe('closing', () => {
  it('ends open event streams, so the hub closes', async () => {
    const response = await fetch(`${hub.url}/api/events`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}` },
    });
    const reader = response.body?.getReader();
    const first = await reader?.read(); // the stream is open: `retry:` came
    expect(Buffer.from(first?.value ?? new Uint8Array()).toString()).toContain('retry: 3000');
    closed = true;
    await hub.close();
    let done = false;
    while (!done) done = (await reader?.read())?.done ?? true;
    expect(done).toBe(true);
  });
});
