import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('./fixtures/shared-state-worker.ts', import.meta.url));
const redis = await requireService('redis');

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

/** Runs one worker process and returns its tally of outcomes. */
async function worker(
  name: string,
  keyPrefix: string,
  plan: Record<string, unknown>,
): Promise<Record<string, number>> {
  const args = {
    worker: name,
    baseUrl: up.url,
    redisUrl: redis.available ? redis.url : '',
    keyPrefix,
    ...plan,
  };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(args)], {
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, number>;
}

describe.skipIf(!redis.available)('two processes with one Redis act as one client', () => {
  it('share one rate limit: the upstream sees the configured rate, not twice it', async () => {
    up.on('GET', '/items', reply.json(200, { ok: true }));
    const prefix = `test:${randomUUID()}:`;
    const plan = {
      path: '/items',
      calls: 40,
      concurrency: 8,
      client: {
        retry: false,
        totalTimeout: 30_000,
        rateLimit: { maxRequests: 20, windowSeconds: 1, burstSize: 5 },
      },
    };
    const [a, b] = await Promise.all([worker('A', prefix, plan), worker('B', prefix, plan)]);
    expect(a.ok).toBe(40);
    expect(b.ok).toBe(40);
    const times = up.requests.map((r) => r.receivedAt).sort((x, y) => x - y);
    const first = times[0] as number;
    const inFirstSecond = times.filter((t) => t < first + 1000).length;
    // One shared bucket: burst 5 + 20/s ≈ 25 in the first second; two separate buckets would allow ≈ 50.
    expect(inFirstSecond).toBeLessThanOrEqual(5 + 20 + 3);
    // 80 requests at 20/s after a burst of 5 take at least (80 - 5) / 20 = 3.75 s.
    expect((times.at(-1) as number) - first).toBeGreaterThanOrEqual(3_500);
    expect(new Set(up.requests.map((r) => r.headers['x-worker']))).toEqual(new Set(['A', 'B']));
  });

  it('share one circuit breaker: failures seen by A open it for B, which sends nothing', async () => {
    up.on('GET', '/down', reply.serverError(503));
    const prefix = `test:${randomUUID()}:`;
    const client = {
      retry: false,
      circuitBreaker: { failureThreshold: 4, minimumCalls: 4, recoveryTimeout: 60_000, syncIntervalMs: 0 },
    };
    const a = await worker('A', prefix, { path: '/down', calls: 10, concurrency: 1, client });
    expect(a.IntegrationTemporaryError).toBe(4);
    expect(a.CircuitOpenError).toBe(6);
    const b = await worker('B', prefix, { path: '/down', calls: 10, concurrency: 2, client });
    expect(b.CircuitOpenError).toBe(10);
    expect(up.requests.filter((r) => r.headers['x-worker'] === 'B')).toHaveLength(0);
    expect(up.requests).toHaveLength(4);
  });
});
