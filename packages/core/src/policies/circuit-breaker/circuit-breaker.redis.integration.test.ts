import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type FakeResponse,
  type FakeUpstream,
  reply,
  requireService,
  startFakeUpstream,
} from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client/create-client.js';
import { CircuitOpenError } from '../../errors/integration-error.js';
import { RedisStore } from '../../state/redis-store.js';
import { outcome } from './breaker-test-kit.js';
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js';

// Skips loudly without Redis; fails under CI=true.
const redis = await requireService('redis');
const url = redis.available ? redis.url : '';
// One random prefix per run, so parallel runs and other test files never share a key.
const keyPrefix = `patchbay-test:${randomUUID()}:`;

let up: FakeUpstream;
const stores: RedisStore[] = [];
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/**
 * One "process": its own Redis connection, its own client and its own breaker, named like the
 * others so they share one breaker. Real clock: lease and counter TTLs run on Redis's time.
 */
function processWith(name: string, options: Partial<CircuitBreakerOptions> = {}) {
  const store = new RedisStore({ url, keyPrefix });
  stores.push(store);
  const breaker = createCircuitBreaker({ name, store, ...options });
  const client = createClient({
    name,
    baseUrl: up.url,
    logger: false,
    metricsRegistry: new Registry(),
    retry: false,
  });
  const charge = () => breaker.execute((signal) => client.get('/charges', { signal }));
  return { breaker, client, charge };
}

/** Scripts GET /charges: ten 503s, then `after` forever. */
function failTenThen(after: FakeResponse) {
  up.on(
    'GET',
    '/charges',
    reply.serverError(503),
    ...Array.from({ length: 9 }, () => reply.serverError(503)),
    after,
  );
}

describe.skipIf(!redis.available)('circuit breaker shared through Redis', () => {
  afterAll(async () => {
    const cleaner = new RedisStore({ url, keyPrefix });
    await cleaner.deletePrefix('');
    await cleaner.close();
  });

  it('failures through process A open the breaker for process B, which then sends nothing', async () => {
    const name = `payments-${randomUUID()}`;
    up.on('GET', '/charges', reply.serverError(503));
    const a = processWith(name);
    const b = processWith(name);
    await using _a = a.client;
    await using _b = b.client;
    for (let i = 0; i < 10; i++) expect(await outcome(a.charge())).toMatchObject({ status: 503 });
    expect(a.breaker.state).toBe('open');
    expect(up.requests).toHaveLength(10);

    const rejected = await Promise.all(Array.from({ length: 20 }, () => outcome(b.charge())));
    expect(rejected.every((e) => e instanceof CircuitOpenError)).toBe(true);
    expect((rejected[0] as CircuitOpenError).retryAfter).toBeGreaterThanOrEqual(59);
    expect(up.requests).toHaveLength(10);
    expect(await b.breaker.getState()).toBe('open');
    expect(b.breaker.opens).toBe(1);
  });

  it('shares the window: failures split across two processes add up', async () => {
    const name = `payments-${randomUUID()}`;
    up.on('GET', '/charges', reply.serverError(500));
    const a = processWith(name, { syncIntervalMs: 0 });
    const b = processWith(name, { syncIntervalMs: 0 });
    await using _a = a.client;
    await using _b = b.client;
    for (let i = 0; i < 5; i++) {
      await outcome(a.charge());
      await outcome(b.charge());
    }
    // Each process made only 5 calls (below minimumCalls 10): only the shared count opens it.
    expect(await a.breaker.getState()).toBe('open');
    expect(await b.breaker.getState()).toBe('open');
    expect(a.breaker.opens + b.breaker.opens).toBe(2);
  });

  it('half-open: one probe across both processes, then the other process probes and closes it', async () => {
    const name = `payments-${randomUUID()}`;
    failTenThen({
      ...reply.json(200, []),
      delayMs: 300,
    });
    const options = { syncIntervalMs: 0, recoveryTimeout: 300 };
    const a = processWith(name, options);
    const b = processWith(name, options);
    await using _a = a.client;
    await using _b = b.client;
    for (let i = 0; i < 10; i++) await outcome(a.charge());
    await sleep(350);
    const probe = a.charge();
    await sleep(50); // A holds the probe lease in Redis now
    const busy = await outcome(b.charge());
    expect(busy).toBeInstanceOf(CircuitOpenError);
    expect(up.requests).toHaveLength(11);
    expect(await probe).toEqual([]);
    expect(await b.charge()).toEqual([]); // the second probe, from B: successThreshold 2 met
    expect(await a.breaker.getState()).toBe('closed');
    expect(up.requests).toHaveLength(12);
  });

  it('a probe hanging in one process stops blocking the other after recoveryTimeout', async () => {
    const name = `payments-${randomUUID()}`;
    failTenThen({
      ...reply.json(200, []),
      delayMs: 1_500,
    });
    const options = { syncIntervalMs: 0, recoveryTimeout: 300 };
    const a = processWith(name, options);
    const b = processWith(name, options);
    await using _a = a.client;
    await using _b = b.client;
    for (let i = 0; i < 10; i++) await outcome(a.charge());
    await sleep(350);
    const hanging = a.charge();
    await sleep(50);
    expect(await outcome(b.charge())).toBeInstanceOf(CircuitOpenError);
    await sleep(350); // A's lease (300 ms in Redis) has expired; its request still hangs
    const fresh = b.charge();
    await sleep(50);
    expect(up.requests).toHaveLength(12); // B's fresh probe went out while A's still hangs
    expect(await fresh).toEqual([]);
    expect(await hanging).toEqual([]);
    expect(await b.breaker.getState()).toBe('closed');
  });
});
