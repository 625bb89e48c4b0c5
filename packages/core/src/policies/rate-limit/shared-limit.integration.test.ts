import { randomUUID } from 'node:crypto';
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isErrorType } from '../../errors/integration-error.js';
import { RedisStore } from '../../state/redis-store.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

// Skips loudly without Redis; fails under CI=true.
const redis = await requireService('redis');
const url = redis.available ? redis.url : '';
// One random prefix per run, so parallel runs and other test files never share a key.
const keyPrefix = `patchbay-test:${randomUUID()}:`;

describe.skipIf(!redis.available)('one rate limit shared by two processes through Redis', () => {
  let up: FakeUpstream;
  let agent: Agent;
  const stores: RedisStore[] = [];

  /** A limiter on its own Redis connection, as a separate process would have. */
  async function processLimiter(key: string, options: { maxRequests: number; burstSize: number }) {
    const store = new RedisStore({ url, keyPrefix });
    stores.push(store);
    await store.now(); // connected before the clock starts
    return createRateLimiter({ name: 'svc', windowSeconds: 1, store, key, ...options });
  }

  beforeEach(async () => {
    up = await startFakeUpstream();
    up.on('GET', '/work', reply.json(200, { ok: true }));
    agent = new Agent({ connections: 64 });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await agent.close();
    await up.close();
  });
  afterAll(async () => {
    const cleaner = new RedisStore({ url, keyPrefix });
    await cleaner.deletePrefix('');
    await cleaner.close();
  });

  /** Workers that take a token and call the upstream until the next token would come after `endAt`. */
  async function drive(limiter: RateLimiter, workers: number, endAt: number, tag: string): Promise<void> {
    const worker = async () => {
      for (;;) {
        try {
          await limiter.acquire({ deadlineAt: endAt });
        } catch (error) {
          if (isErrorType(error, 'IntegrationRateLimited')) return; // the next token is past the end
          throw error;
        }
        const res = await request(`${up.url}/work?from=${tag}`, { dispatcher: agent });
        await res.body.dump();
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  }

  it('lets through burst + 50/s × 2 s in total, not twice that', async () => {
    const key = `patchbay:svc:${randomUUID()}:rl`;
    const burstSize = 10;
    const a = await processLimiter(key, { maxRequests: 50, burstSize });
    const b = await processLimiter(key, { maxRequests: 50, burstSize });
    const endAt = performance.now() + 2_000;
    await Promise.all([drive(a, 20, endAt, 'a'), drive(b, 20, endAt, 'b')]);

    const total = up.requests.length;
    const fromA = up.requests.filter((r) => r.query.from === 'a').length;
    // Two separate buckets would allow 2 × (10 + 100) = 220.
    expect(total).toBeLessThanOrEqual(burstSize + 100 + 5);
    expect(total).toBeGreaterThanOrEqual(60); // generous: the workers did keep the bucket busy
    expect(fromA).toBeGreaterThan(0);
    expect(total - fromA).toBeGreaterThan(0);
  });

  it('a 429 seen by one process pauses the other until Retry-After ends', async () => {
    const key = `patchbay:svc:${randomUUID()}:rl`;
    const a = await processLimiter(key, { maxRequests: 50, burstSize: 10 });
    const b = await processLimiter(key, { maxRequests: 50, burstSize: 10 });
    const seenAt = Date.now();
    expect(await a.observe({ 'retry-after': '1' }, 429)).toEqual({ pauseMs: 1000, reason: 'retry-after' });

    const { waitedMs } = await b.acquire();
    await (await request(`${up.url}/work`, { dispatcher: agent })).body.dump();
    expect(waitedMs).toBeGreaterThanOrEqual(900); // Redis TIME and our clock differ by the round trip at most
    expect((up.requests[0]?.receivedAt ?? 0) - seenAt).toBeGreaterThanOrEqual(900);
    expect(await b.snapshot()).toMatchObject({ pausedUntil: undefined, pausedForMs: 0 });
  });
});
