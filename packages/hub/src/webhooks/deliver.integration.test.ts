// Delivering events out: subscribers set through the admin API receive Standard Webhooks-signed
// POSTs (checked on the receiving side with node:crypto), retried from the outbox, cut off by a
// per-destination breaker, dead-lettered and replayed, within the egress policy.
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SubscriberServer, startSubscriberServer } from './fixtures/subscriber-server.js';
import { startWebhookHub, TOKENS, type WebhookHub } from './fixtures/webhook-hub.js';
import { replayWebhookDeadLetter } from './replay.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, navigated freely by the assertions
type WireJson = Record<string, any>;

const GITHUB_SECRET = 'github-secret-deliver';

let hub: WebhookHub;
let dir: string;
const servers: SubscriberServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-webhooks-deliver-'));
  hub = await startWebhookHub({
    storage: { dataDir: dir },
    webhooks: {
      delivery: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10, timeoutMs: 2000 },
      sources: {
        github: { verify: 'github', secrets: [GITHUB_SECRET] },
        stripe: { verify: 'none', transform: 'stripe' },
      },
    },
  });
});

afterAll(async () => {
  await hub?.close();
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKENS.admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as WireJson, text };
}

async function subscribe(name: string, eventTypes: string[]) {
  const server = await startSubscriberServer();
  servers.push(server);
  const created = await admin('PUT', `/api/webhooks/subscribers/${name}`, { url: server.url, eventTypes });
  expect(created.status).toBe(201);
  server.secrets.push(created.json.secret);
  return server;
}

async function sendGithub(action: string) {
  const text = JSON.stringify({ action, issue: { number: 1 } });
  const response = await fetch(`${hub.url}/api/integrations/webhook/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(text).digest('hex')}`,
    },
    body: text,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; deliveryId: string };
}

const messageId = (rowId: string) => `msg_${rowId.replaceAll('-', '')}`;

async function outboxOf(subscriber: string, id: string) {
  const page = await hub.repositories.webhookOutbox.list(subscriber, { limit: 1000 });
  return page.rows.find((r) => r.messageId === messageId(id));
}

describe('subscribers', () => {
  it('generates a secret shown once, never afterwards', async () => {
    const server = await subscribe('shown-once', ['nothing.*']);
    expect(server.secrets[0]).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await admin('GET', '/api/webhooks/subscribers/shown-once');
    expect(listed.json).toMatchObject({ name: 'shown-once', secrets: ['***'], eventTypes: ['nothing.*'] });
    expect(listed.text).not.toContain(server.secrets[0]);
  });

  it('refuses a private destination the egress policy does not allow, and bad bodies', async () => {
    const refused = await admin('PUT', '/api/webhooks/subscribers/internal', {
      url: 'http://10.1.2.3/hooks',
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues).toEqual([
      { path: 'url', message: 'the egress policy does not allow this address' },
    ]);
    const bad = await admin('PUT', '/api/webhooks/subscribers/bad', {
      url: 'ftp://example.com',
      secrets: ['nope'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['secrets.0', 'url']);
  });
});

describe('delivery', () => {
  it('delivers matching events signed per Standard Webhooks, and only those', async () => {
    const server = await subscribe('crm', ['github.issues.*']);
    const sent = await sendGithub('opened');
    await expect.poll(() => server.received.length).toBe(1);
    const [webhook] = server.received;
    expect(webhook?.id).toBe(messageId(sent.id));
    expect(webhook?.verifiedWith).toEqual([0]);
    expect(Math.abs(Number(webhook?.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(webhook?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(webhook?.body ?? '')).toMatchObject({
      type: 'github.issues.opened',
      source: 'github',
      id: sent.deliveryId,
      data: { action: 'opened' },
    });
    await expect.poll(async () => (await outboxOf('crm', sent.id))?.status).toBe('delivered');

    const stripe = await fetch(`${hub.url}/api/integrations/webhook/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `evt_${randomUUID()}`, type: 'charge.succeeded', created: 1, data: {} }),
    });
    const { id } = (await stripe.json()) as { id: string };
    await expect
      .poll(async () => (await hub.repositories.webhookDeliveries.get(id))?.status)
      .toBe('processed');
    expect(await outboxOf('crm', id)).toBeUndefined();
    expect(server.received).toHaveLength(1);
  });

  it('retries a failing subscriber with the same webhook-id until it answers 2xx', async () => {
    const server = await subscribe('flaky', ['github.issues.closed']);
    let calls = 0;
    server.respond = () => (++calls <= 2 ? 500 : 204);
    const sent = await sendGithub('closed');
    await expect.poll(async () => (await outboxOf('flaky', sent.id))?.status).toBe('delivered');
    const entry = await outboxOf('flaky', sent.id);
    expect(entry).toMatchObject({ attempts: 3, lastStatus: 204 });
    expect(server.received.map((r) => r.id)).toEqual([
      messageId(sent.id),
      messageId(sent.id),
      messageId(sent.id),
    ]);
    expect(server.received.every((r) => r.verifiedWith.length === 1)).toBe(true);
  });

  it('dead-letters after the last attempt, and a replay delivers it', async () => {
    const server = await subscribe('down', ['github.issues.reopened']);
    server.respond = () => 503;
    const sent = await sendGithub('reopened');
    await expect.poll(async () => (await outboxOf('down', sent.id))?.status).toBe('dead');
    expect(server.received).toHaveLength(3);
    const letters = (await hub.repositories.deadLetters.list({ integration: 'webhook' })).rows;
    const letter = letters.find((l) => l.idempotencyKey === messageId(sent.id));
    expect(letter).toMatchObject({ operation: 'deliver:down', attempts: 3, error: { status: 503 } });

    server.respond = () => 200;
    const outcome = await replayWebhookDeadLetter(hub.runtime, letter as NonNullable<typeof letter>);
    expect(outcome).toMatchObject({ ok: true, result: { subscriber: 'down', status: 200 } });
    expect(server.received).toHaveLength(4);
    expect((await outboxOf('down', sent.id))?.status).toBe('delivered');
    expect((await hub.repositories.deadLetters.get(letter?.id ?? ''))?.status).toBe('replayed');
  });

  it('signs with both secrets after a rotation, so a receiver holding either verifies', async () => {
    const server = await subscribe('rotating', ['github.issues.labeled']);
    const rotated = await admin('POST', '/api/webhooks/subscribers/rotating/rotate-secret');
    expect(rotated.status).toBe(200);
    server.secrets.push(rotated.json.secret);
    await sendGithub('labeled');
    await expect.poll(() => server.received.length).toBe(1);
    expect(server.received[0]?.signature.split(' ')).toHaveLength(2);
    expect(server.received[0]?.verifiedWith).toEqual([0, 1]);
  });

  it('opens a breaker for a failing destination: later attempts fail without reaching it', async () => {
    const server = await subscribe('broken', ['github.issues.unlocked']);
    server.respond = () => 500;
    const sent = [];
    for (let n = 0; n < 7; n++) {
      const one = await sendGithub('unlocked');
      sent.push(one);
      await expect
        .poll(async () => (await outboxOf('broken', one.id))?.status, { timeout: 5000 })
        .toBe('dead');
    }
    const entries = await Promise.all(sent.map((s) => outboxOf('broken', s.id)));
    expect(entries.every((e) => e?.attempts === 3)).toBe(true);
    const errors = entries.map((e) => (e?.lastError as { type?: string } | undefined)?.type);
    expect(errors.slice(-1)).toEqual(['CircuitOpenError']);
    // 21 attempts were made; the breaker answered most of them without touching the destination.
    expect(server.received.length).toBe(5);
  });
});

describe('egress', () => {
  it('refuses a loopback destination reached by name when the policy does not allow it', async () => {
    const strictDir = await mkdtemp(join(tmpdir(), 'patchbay-webhooks-egress-'));
    const strict = await startWebhookHub({
      storage: { dataDir: strictDir },
      egress: {},
      webhooks: {
        delivery: { maxAttempts: 1 },
        sources: { open: { verify: 'none', typeHeader: 'x-type' } },
      },
    });
    const server = await startSubscriberServer();
    servers.push(server);
    try {
      const put = await fetch(`${strict.url}/api/webhooks/subscribers/local`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: server.url.replace('127.0.0.1', 'localhost') }),
      });
      expect(put.status).toBe(201); // a name is checked on the address it resolves to, when dialled
      const sent = await fetch(`${strict.url}/api/integrations/webhook/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-type': 'ping' },
        body: JSON.stringify({ n: randomUUID() }),
      });
      const { id } = (await sent.json()) as { id: string };
      await expect
        .poll(async () => (await strict.repositories.webhookOutbox.list('local')).rows[0]?.status)
        .toBe('dead');
      const [entry] = (await strict.repositories.webhookOutbox.list('local')).rows;
      expect(entry?.messageId).toBe(messageId(id));
      expect(JSON.stringify(entry?.lastError)).toMatch(/egress|not allowed|private|loopback/i);
      expect(server.received).toHaveLength(0);
    } finally {
      await strict.close();
      await rm(strictDir, { recursive: true, force: true });
    }
  });
});
