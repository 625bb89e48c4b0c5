// The webhook side as `createHub` wires it: receivers open (signature instead of token), admin
// routes behind scopes, processing and delivery workers running, events fanned out.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_INTEGRATIONS } from '../builtin-integrations.js';
import { loadHubConfig } from '../config/index.js';
import { generateMasterKey } from '../secrets/index.js';
import { createHub, type Hub } from './create-hub.js';

const ADMIN = 'webhook-admin-token-0123456789';
const SECRET = 'gh-webhook-secret-canary-4242';
let hub: Hub;
let base: string;
let dir: string;
let subscriber: FakeUpstream;

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  subscriber = await startFakeUpstream();
  subscriber.on('POST', '/hook', reply.json(200, { ok: true }));
  dir = mkdtempSync(join(tmpdir(), 'patchbay-hub-webhooks-'));
  const config = await loadHubConfig({
    cwd: dir,
    env: {
      PATCHBAY_DATA_DIR: dir,
      PATCHBAY_ADMIN_TOKEN: ADMIN,
      PATCHBAY_MASTER_KEY: generateMasterKey(),
      PORT: '0',
      PATCHBAY_LOG_LEVEL: 'silent',
    },
  });
  hub = await createHub({ config, integrations: BUILTIN_INTEGRATIONS, egress: { allow: ['127.0.0.1'] } });
  base = await hub.start();
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await subscriber?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhooks through the hub', () => {
  it('receives a GitHub-signed delivery without a token, processes it and delivers it to a subscriber', async () => {
    expect(
      (await admin('PUT', '/api/webhooks/sources/gh', { verify: 'github', secrets: [SECRET] })).status,
    ).toBe(200);
    const created = await admin('PUT', '/api/webhooks/subscribers/audit-sink', {
      url: `${subscriber.url}/hook`,
      eventTypes: ['gh.*'],
    });
    expect(created.status).toBe(201);

    const body = JSON.stringify({ action: 'opened', issue: { number: 7 } });
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': 'delivery-1',
      'x-hub-signature-256': signature,
    };
    const received = await fetch(`${base}/api/integrations/webhook/gh`, { method: 'POST', headers, body });
    expect(received.status).toBeGreaterThanOrEqual(200);
    expect(received.status).toBeLessThan(300);

    const forged = await fetch(`${base}/api/integrations/webhook/gh`, {
      method: 'POST',
      headers: {
        ...headers,
        'x-github-delivery': 'delivery-2',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain(SECRET);

    // The subscriber gets the normalized event, signed per Standard Webhooks.
    for (let i = 0; i < 100 && subscriber.requests.length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(subscriber.requests).toHaveLength(1);
    const delivered = subscriber.requests[0]!;
    expect(delivered.headers['webhook-id']).toBeDefined();
    expect(delivered.headers['webhook-signature']).toMatch(/^v1,/);
    expect(delivered.json()).toMatchObject({ type: 'gh.issues.opened' });

    const logs = await admin('GET', '/api/integrations/webhook/gh/logs');
    expect(logs.status).toBe(200);
    expect(JSON.stringify(await logs.json())).not.toContain(SECRET);
    expect((await fetch(`${base}/api/integrations/webhook/gh/logs`)).status).toBe(401);
  });
});
