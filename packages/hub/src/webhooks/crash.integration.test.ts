// The durability promise under SIGKILL: a hub under load is killed and restarted. Every delivery
// that got a 2xx is stored and processed exactly once (one event each), and every event owed to
// the subscriber reaches it (at least once, deduplicable by webhook-id, signed).
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from '../storage/index.js';
import { type SubscriberServer, startSubscriberServer } from './fixtures/subscriber-server.js';

const TARGET = fileURLToPath(new URL('./fixtures/crash-hub.ts', import.meta.url));
const GITHUB_SECRET = 'crash-github-secret';
const WHSEC = `whsec_${Buffer.alloc(32, 11).toString('base64')}`;

let child: ChildProcess | undefined;
let subscriber: SubscriberServer | undefined;
let dataDir = '';
afterEach(async () => {
  child?.kill('SIGKILL');
  await subscriber?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function startHub(): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', TARGET], {
    env: {
      ...process.env,
      CRASH_DATA_DIR: dataDir,
      CRASH_SUBSCRIBER_URL: subscriber?.url ?? '',
      CRASH_GITHUB_SECRET: GITHUB_SECRET,
      CRASH_WHSEC: WHSEC,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    proc.on('exit', (code) => reject(new Error(`hub exited early (${code})`)));
  });
}

describe('SIGKILL under load', () => {
  it('loses no acknowledged delivery, processes each once, and delivers every owed event', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patchbay-webhooks-crash-'));
    subscriber = await startSubscriberServer([WHSEC]);
    subscriber.delayMs = 30; // slower than the senders: a backlog is owed when the hub dies
    const url = await startHub();

    const acked = new Map<string, string>(); // delivery id -> stored row id
    let stop = false;
    const sender = async () => {
      while (!stop) {
        const body = JSON.stringify({ action: 'opened', issue: { number: acked.size } });
        const delivery = randomUUID();
        try {
          const res = await fetch(`${url}/api/integrations/webhook/github`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'issues',
              'x-github-delivery': delivery,
              'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(body).digest('hex')}`,
            },
            body,
          });
          if (res.status === 200) acked.set(delivery, ((await res.json()) as { id: string }).id);
        } catch {
          return; // the hub is gone
        }
      }
    };
    const load = Promise.all([sender(), sender(), sender(), sender()]);
    await expect.poll(() => acked.size, { timeout: 15_000 }).toBeGreaterThan(300);
    child?.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    stop = true;
    await load;
    const deliveredBeforeKill = subscriber.countsById().size;

    await startHub();
    const owed = new Set([...acked.values()].map((id) => `msg_${id.replaceAll('-', '')}`));
    await expect
      .poll(() => [...owed].filter((id) => !subscriber?.countsById().has(id)).length, { timeout: 30_000 })
      .toBe(0);

    const db = await openDatabase({ dataDir });
    try {
      const repos = createRepositories(db);
      for (const [deliveryId, id] of acked) {
        const stored = await repos.webhookDeliveries.findByDeliveryId('github', deliveryId);
        expect(stored?.id, `delivery ${deliveryId}`).toBe(id);
      }
      await expect
        .poll(async () => (await repos.webhookDeliveries.countByStatus('github')).pending, {
          timeout: 10_000,
        })
        .toBe(0);
      const events = await sql<{ delivery_row_id: string; n: number }>`
        select delivery_row_id, count(*) as n from webhook_events group by delivery_row_id`.execute(db.db);
      const perDelivery = new Map(events.rows.map((r) => [r.delivery_row_id, Number(r.n)]));
      for (const id of acked.values()) expect(perDelivery.get(id), `events of ${id}`).toBe(1);
      const counts = await repos.webhookDeliveries.countByStatus('github');
      expect(counts.dead).toBe(0);
      expect(events.rows.length).toBe(counts.processed);
    } finally {
      await db.close();
    }
    expect(subscriber.received.every((r) => r.verifiedWith.length === 1)).toBe(true);
    // Some were delivered before the kill and the rest after the restart: the test crossed a crash.
    expect(deliveredBeforeKill).toBeGreaterThan(0);
    expect(deliveredBeforeKill).toBeLessThan(subscriber.countsById().size);
    console.log(
      `crash test: ${acked.size} acknowledged, ${deliveredBeforeKill} delivered before the kill, ${subscriber.received.length} POSTs received for ${subscriber.countsById().size} messages`,
    );
  }, 60_000);
});
