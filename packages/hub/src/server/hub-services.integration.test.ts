// A hub with every production switch on (PostgreSQL-free here: SQLite; REDIS_URL and AMQP_URL set):
// /readyz reports Redis and the bus, and an agent's bus command reaches GitHub through the hub.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeGitHub, requireService, serviceUrl, startFakeGitHub } from '@patchbay/testing';
import { type ChannelModel, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_INTEGRATIONS } from '../builtin-integrations.js';
import { uniqueTopology } from '../bus/bus.harness.js';
import { loadHubConfig } from '../config/index.js';
import { generateMasterKey } from '../secrets/index.js';
import { createHub, type Hub } from './create-hub.js';

const redis = await requireService('redis');
const amqp = await requireService('amqp');
const ADMIN = 'services-admin-token-0123456789';
const topology = uniqueTopology();

let github: FakeGitHub;
let hub: Hub;
let base: string;
let dir: string;
let broker: ChannelModel;

describe.skipIf(!redis.available || !amqp.available)('a hub with Redis and the RabbitMQ bus', () => {
  beforeAll(async () => {
    github = await startFakeGitHub();
    dir = mkdtempSync(join(tmpdir(), 'patchbay-services-'));
    const config = await loadHubConfig({
      cwd: dir,
      env: {
        PATCHBAY_DATA_DIR: dir,
        PATCHBAY_ADMIN_TOKEN: ADMIN,
        PATCHBAY_MASTER_KEY: generateMasterKey(),
        PORT: '0',
        PATCHBAY_LOG_LEVEL: 'silent',
        REDIS_URL: serviceUrl('redis'),
        AMQP_URL: serviceUrl('amqp'),
        GITHUB_TOKEN: github.token,
        GITHUB_API_URL: github.url,
      },
    });
    hub = await createHub({ config, integrations: BUILTIN_INTEGRATIONS, bus: { topology } });
    base = await hub.start();
    broker = await connect(serviceUrl('amqp'));
  }, 60_000);

  afterAll(async () => {
    await broker?.close();
    await hub?.close();
    await github?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('/readyz checks storage, Redis and the bus', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', storage: 'sqlite', redis: 'ready', bus: 'ready' });
  });

  it("runs seed 002's bus command and publishes its outcome", async () => {
    const channel = await broker.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topology.eventsExchange, 'integrations.#');
    const received = new Promise<Record<string, unknown>>((resolve) => {
      void channel.consume(queue, (message) => {
        if (message) resolve(JSON.parse(message.content.toString()) as Record<string, unknown>);
      });
    });
    channel.publish(
      topology.commandsExchange,
      'integrations.github_repo_search',
      Buffer.from(
        JSON.stringify({
          tool_name: 'github_repo_search',
          parameters: { query: 'cli' },
          task_id: 't-1',
          step_id: 's-1',
        }),
      ),
      { persistent: true, contentType: 'application/json' },
    );
    const event = await received;
    expect(event).toMatchObject({
      task_id: 't-1',
      step_id: 's-1',
      tool_name: 'github_repo_search',
      status: 'completed',
    });
    expect(JSON.stringify(event.result)).toContain('octo-org/octo-cli');
    expect(JSON.stringify(event)).not.toContain(github.token);
    await channel.close();
  });

  it('fans a verified webhook delivery out to events.exchange as webhooks.<source>.<type>', async () => {
    const secret = 'bus-fanout-webhook-secret';
    const put = await fetch(`${base}/api/webhooks/sources/gh`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ verify: 'github', secrets: [secret] }),
    });
    expect([200, 201]).toContain(put.status);
    const channel = await broker.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topology.eventsExchange, 'webhooks.#');
    const received = new Promise<{ key: string; id: string | undefined; body: Record<string, unknown> }>(
      (resolve) => {
        void channel.consume(queue, (message) => {
          if (message)
            resolve({
              key: message.fields.routingKey,
              id: message.properties.messageId as string | undefined,
              body: JSON.parse(message.content.toString()) as Record<string, unknown>,
            });
        });
      },
    );
    const body = JSON.stringify({ action: 'closed', issue: { number: 3 } });
    const res = await fetch(`${base}/api/integrations/webhook/gh`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': 'bus-delivery-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
      body,
    });
    expect(res.status).toBeLessThan(300);
    const event = await received;
    expect(event.key).toBe('webhooks.gh.issues.closed');
    expect(event.body).toMatchObject({ source: 'gh', type: 'issues.closed', data: { issue: { number: 3 } } });
    expect(event.id).toBe(`gh:${String(event.body.id)}`);
    await channel.close();
  });
});
