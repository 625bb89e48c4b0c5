// Receiving over real HTTP: every scheme signed here with node:crypto (never with our signers),
// the answers a sender sees, what is stored, and what is counted.
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookHub, TOKENS, type WebhookHub } from './fixtures/webhook-hub.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, navigated freely by the assertions
type WireJson = Record<string, any>;

const GITHUB_SECRET = 'github-secret-for-tests';
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const STANDARD_KEY = Buffer.alloc(32, 3);
const STANDARD_SECRET = `whsec_${STANDARD_KEY.toString('base64')}`;
const STRIPE_SECRET = 'whsec_stripe_for_tests';
const HMAC_SECRET = 'generic-hmac-secret';

let hub: WebhookHub;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-webhooks-'));
  hub = await startWebhookHub({
    storage: { dataDir: dir },
    env: { GH_SECRET: GITHUB_SECRET },
    webhooks: {
      maxBodyBytes: 4096,
      sources: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's ${ENV} syntax
        github: { verify: 'github', secrets: ['${GH_SECRET}'] },
        slack: { verify: 'slack', secrets: [SLACK_SECRET] },
        svix: { verify: 'standard', secrets: [STANDARD_SECRET] },
        stripe: { verify: 'stripe', secrets: [STRIPE_SECRET] },
        orders: {
          verify: 'hmac',
          secrets: [HMAC_SECRET],
          hmac: { header: 'X-Signature', encoding: 'base64', prefix: 'sha256=' },
          deliveryId: { header: 'x-order-event-id' },
          transform: { type: '/event', id: '/id', data: '/order' },
        },
        open: { verify: 'none', typeHeader: 'x-event-type' },
        small: { verify: 'none', maxBodyBytes: 16 },
      },
    },
  });
});

afterAll(async () => {
  await hub?.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as WireJson, text };
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKENS.admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as WireJson };
}

const githubHeaders = (body: string, secret = GITHUB_SECRET, delivery: string = randomUUID()) => ({
  'x-github-event': 'pull_request',
  'x-github-delivery': delivery,
  'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
});

async function rejections(source: string, reason: string): Promise<number> {
  const metric = await register.getSingleMetric('patchbay_webhook_rejections_total')?.get();
  return metric?.values.find((v) => v.labels.source === source && v.labels.reason === reason)?.value ?? 0;
}

async function processed(id: string) {
  await expect
    .poll(async () => (await hub.repositories.webhookDeliveries.get(id))?.status, { timeout: 5000 })
    .toBe('processed');
  return hub.repositories.webhookEvents.byDeliveryRow(id);
}

describe('GitHub', () => {
  const body = JSON.stringify({ action: 'opened', number: 7, pull_request: { title: 'Add webhooks' } });

  it('stores a signed delivery before answering 200, then processes it into a normalized event', async () => {
    const delivery = randomUUID();
    const res = await post(
      '/api/integrations/webhook/github',
      body,
      githubHeaders(body, GITHUB_SECRET, delivery),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true, duplicate: false, deliveryId: delivery });
    const stored = await hub.repositories.webhookDeliveries.findByDeliveryId('github', delivery);
    expect(stored?.body).toBe(body);
    expect(stored?.verification).toBe('verified');
    expect(stored?.headers['x-hub-signature-256']).toBeUndefined();
    const event = await processed(res.json.id);
    expect(event).toMatchObject({ source: 'github', type: 'pull_request.opened', eventId: delivery });
    expect(event?.data).toEqual(JSON.parse(body));
  });

  it('answers a replayed delivery 200 as a duplicate and processes it once', async () => {
    const headers = githubHeaders(body);
    const first = await post('/api/integrations/webhook/github', body, headers);
    const again = await post('/api/integrations/webhook/github', body, headers);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, id: first.json.id });
    await processed(first.json.id);
    const page = await hub.repositories.webhookDeliveries.list({ source: 'github', limit: 1000 });
    expect(page.rows.filter((r) => r.deliveryId === headers['x-github-delivery'])).toHaveLength(1);
  });

  it('refuses a wrong secret and a tampered body with the same 401, counted and stored nowhere', async () => {
    const before = await rejections('github', 'mismatch');
    const wrong = await post('/api/integrations/webhook/github', body, githubHeaders(body, 'not-the-secret'));
    const headers = githubHeaders(body);
    const tampered = await post('/api/integrations/webhook/github', body.replace('7', '8'), headers);
    for (const res of [wrong, tampered]) {
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({
        type: 'HubAuthError',
        message: 'Webhook signature verification failed',
      });
      expect(res.text).not.toContain('mismatch');
    }
    expect(await rejections('github', 'mismatch')).toBe(before + 2);
    expect(
      await hub.repositories.webhookDeliveries.findByDeliveryId('github', headers['x-github-delivery']),
    ).toBeUndefined();
    const logs = await api('GET', '/api/integrations/webhook/github/logs');
    expect(logs.json.recentRejections[0]).toMatchObject({ reason: 'mismatch' });
    expect(JSON.stringify(logs.json)).not.toContain(GITHUB_SECRET);
  });

  it('refuses an unsigned delivery', async () => {
    const res = await post('/api/integrations/webhook/github', body, { 'x-github-delivery': randomUUID() });
    expect(res.status).toBe(401);
    expect(await rejections('github', 'missing_signature')).toBeGreaterThan(0);
  });
});

describe('Standard Webhooks', () => {
  const body = JSON.stringify({
    type: 'invoice.paid',
    timestamp: '2026-01-05T10:00:00Z',
    data: { invoice: 'in_1' },
  });
  const sign = (id: string, stamp: string, payload = body) =>
    `v1,${createHmac('sha256', STANDARD_KEY).update(`${id}.${stamp}.${payload}`).digest('base64')}`;

  it('verifies, deduplicates by webhook-id, and takes the type and time from the payload', async () => {
    const id = `msg_${randomUUID()}`;
    const stamp = String(Math.floor(Date.now() / 1000));
    const headers = { 'webhook-id': id, 'webhook-timestamp': stamp, 'webhook-signature': sign(id, stamp) };
    const res = await post('/api/integrations/webhook/svix', body, headers);
    expect(res.status).toBe(200);
    expect((await post('/api/integrations/webhook/svix', body, headers)).json.duplicate).toBe(true);
    const event = await processed(res.json.id);
    expect(event).toMatchObject({
      type: 'invoice.paid',
      eventId: id,
      occurredAt: '2026-01-05T10:00:00.000Z',
    });
    expect(event?.data).toEqual({ invoice: 'in_1' });
  });

  it('refuses a stale timestamp even with a valid signature for it', async () => {
    const id = `msg_${randomUUID()}`;
    const stamp = String(Math.floor(Date.now() / 1000) - 600);
    const before = await rejections('svix', 'stale_timestamp');
    const res = await post('/api/integrations/webhook/svix', body, {
      'webhook-id': id,
      'webhook-timestamp': stamp,
      'webhook-signature': sign(id, stamp),
    });
    expect(res.status).toBe(401);
    expect(await rejections('svix', 'stale_timestamp')).toBe(before + 1);
  });
});

describe('Slack', () => {
  const slackHeaders = (body: string, extra: Record<string, string> = {}) => {
    const stamp = String(Math.floor(Date.now() / 1000));
    return {
      'x-slack-request-timestamp': stamp,
      'x-slack-signature': `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${stamp}:${body}`).digest('hex')}`,
      ...extra,
    };
  };

  it('answers the url_verification challenge only when signed, and stores nothing', async () => {
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: 'chal-123',
      type: 'url_verification',
    });
    const ok = await post('/api/integrations/slack/webhook', body, slackHeaders(body));
    expect(ok).toMatchObject({ status: 200, json: { challenge: 'chal-123' } });
    const forged = await post('/api/integrations/slack/webhook', body, {
      ...slackHeaders(body),
      'x-slack-signature': `v0=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(401);
    expect((await hub.repositories.webhookDeliveries.list({ source: 'slack' })).rows).toHaveLength(0);
  });

  it('stores an event callback once, however often Slack retries it', async () => {
    const eventId = `Ev${randomUUID().slice(0, 8)}`;
    const body = JSON.stringify({
      token: 'verification-token-xyz',
      type: 'event_callback',
      event_id: eventId,
      event_time: 1_767_607_200,
      event: { type: 'app_mention', text: '<@U1> status of TXN-1?', channel: 'C1' },
    });
    const first = await post('/api/integrations/slack/webhook', body, slackHeaders(body));
    const retry = await post(
      '/api/integrations/slack/webhook',
      body,
      slackHeaders(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
    );
    expect(first.json).toMatchObject({ duplicate: false, deliveryId: eventId });
    expect(retry).toMatchObject({ status: 200, json: { duplicate: true, id: first.json.id } });
    const event = await processed(first.json.id);
    expect(event).toMatchObject({ type: 'app_mention', eventId, occurredAt: '2026-01-05T10:00:00.000Z' });
    expect(event?.data).not.toHaveProperty('token');
  });

  it('takes an interactive payload (form-encoded payload=) as interaction.<type>', async () => {
    const payload = {
      type: 'block_actions',
      token: 'tok',
      action_ts: '1767607200.5',
      actions: [{ action_id: 'approve' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await post('/api/integrations/slack/webhook', body, {
      ...slackHeaders(body),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    const event = await processed(res.json.id);
    expect(event?.type).toBe('interaction.block_actions');
    expect(event?.data).toEqual({
      type: 'block_actions',
      action_ts: '1767607200.5',
      actions: [{ action_id: 'approve' }],
    });
  });
});

describe('Stripe-style and generic HMAC', () => {
  it('verifies a Stripe signature with several v1 entries and uses the evt_ id', async () => {
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'charge.refunded',
      created: 1_767_607_200,
      data: { object: { id: 'ch_1' } },
    });
    const t = String(Math.floor(Date.now() / 1000));
    const v1 = createHmac('sha256', STRIPE_SECRET).update(`${t}.${body}`).digest('hex');
    const res = await post('/api/integrations/webhook/stripe', body, {
      'stripe-signature': `t=${t},v1=${'f'.repeat(64)},v1=${v1}`,
    });
    expect(res.status).toBe(200);
    expect(res.json.deliveryId).toBe(JSON.parse(body).id);
    const event = await processed(res.json.id);
    expect(event).toMatchObject({ type: 'charge.refunded', occurredAt: '2026-01-05T10:00:00.000Z' });
  });

  it('verifies a generic base64 HMAC with a prefix and maps the payload by pointers', async () => {
    const body = JSON.stringify({ event: 'order.shipped', id: 'o-9', order: { id: 'o-9', carrier: 'DHL' } });
    const signature = `sha256=${createHmac('sha256', HMAC_SECRET).update(body).digest('base64')}`;
    const res = await post('/api/integrations/webhook/orders', body, {
      'x-signature': signature,
      'x-order-event-id': 'oe-1',
    });
    expect(res).toMatchObject({ status: 200, json: { deliveryId: 'oe-1' } });
    const event = await processed(res.json.id);
    expect(event).toMatchObject({ type: 'order.shipped', eventId: 'o-9' });
    expect(event?.data).toEqual({ id: 'o-9', carrier: 'DHL' });
    const missingId = await post('/api/integrations/webhook/orders', body, { 'x-signature': signature });
    expect(missingId.status).toBe(400);
  });
});

describe('limits and unsigned sources', () => {
  it('accepts an explicitly unsigned source, deduplicating identical bodies', async () => {
    const body = JSON.stringify({ n: randomUUID() });
    const first = await post('/api/integrations/webhook/open', body, { 'x-event-type': 'ping' });
    const second = await post('/api/integrations/webhook/open', body, { 'x-event-type': 'ping' });
    expect(first.status).toBe(200);
    expect(second.json.duplicate).toBe(true);
    expect((await hub.repositories.webhookDeliveries.get(first.json.id))?.verification).toBe('unsigned');
    expect((await processed(first.json.id))?.type).toBe('ping');
  });

  it('answers 413 past the global limit and past a source limit, counting both', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    expect((await post('/api/integrations/webhook/open', big)).status).toBe(413);
    const before = await rejections('small', 'body_too_large');
    expect(
      (await post('/api/integrations/webhook/small', JSON.stringify({ pad: 'x'.repeat(40) }))).status,
    ).toBe(413);
    expect(await rejections('small', 'body_too_large')).toBe(before + 1);
  });

  it('answers 404 for an unknown source, counted without its name', async () => {
    const res = await post('/api/integrations/webhook/nosuch', '{}');
    expect(res.status).toBe(404);
    expect(await rejections('(unknown)', 'unknown_source')).toBeGreaterThan(0);
  });

  it('leaves JSON parsing of the other routes alone, and needs a token there', async () => {
    const configured = await api('PUT', '/api/webhooks/sources/later', { verify: 'none' });
    expect(configured.status).toBe(200);
    expect(configured.json).toMatchObject({ name: 'later', verify: 'none', origin: 'stored' });
    const anonymous = await fetch(`${hub.url}/api/webhooks/sources`);
    expect(anonymous.status).toBe(401);
  });
});
