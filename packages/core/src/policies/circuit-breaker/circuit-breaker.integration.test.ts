import { type FakeResponse, type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client/create-client.js';
import { CircuitOpenError } from '../../errors/integration-error.js';
import type { RetryOptions } from '../../policies/retry-options.js';
import { fakeClock, outcome } from './breaker-test-kit.js';
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js';

/**
 * The breaker around a real client over loopback. The breaker's clock is fake (so "60 s later"
 * costs nothing); the client's is real. What is asserted is what the upstream saw.
 */

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

/** Scripts GET /charges to answer `responses` in turn, the last one forever. */
function script(responses: FakeResponse[]) {
  const [first, ...then] = responses;
  if (!first) throw new Error('no responses');
  up.on('GET', '/charges', first, ...then);
}

const times = (n: number, response: FakeResponse) => Array.from({ length: n }, () => response);

function setup(options: Partial<CircuitBreakerOptions> = {}, retry: RetryOptions | false = false) {
  const time = fakeClock();
  const breaker = createCircuitBreaker({ name: 'payments', clock: time.clock, ...options });
  const client = createClient({
    name: 'payments',
    baseUrl: up.url,
    logger: false,
    metricsRegistry: new Registry(),
    retry,
  });
  const charge = () => breaker.execute((signal) => client.get('/charges', { signal }));
  return { time, breaker, client, charge };
}

describe('circuit breaker over the wire', () => {
  it('stops sending while open, probes after recoveryTimeout, and closes when the upstream recovers', async () => {
    script([...times(10, reply.serverError(503)), reply.json(200, [])]);
    const { time, breaker, client, charge } = setup();
    await using _ = client;
    for (let i = 0; i < 10; i++) expect(await outcome(charge())).toMatchObject({ status: 503 });
    expect(breaker.state).toBe('open');
    expect(up.requests).toHaveLength(10);

    const rejected = await Promise.all(Array.from({ length: 25 }, () => outcome(charge())));
    expect(rejected.every((e) => e instanceof CircuitOpenError)).toBe(true);
    expect(up.requests).toHaveLength(10); // not one request while open

    time.advance(60_000);
    expect(await charge()).toEqual([]); // probe 1
    expect(breaker.state).toBe('half_open');
    expect(await charge()).toEqual([]); // probe 2: successThreshold met
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 5; i++) await charge();
    expect(up.requests).toHaveLength(17);
  });

  it('lets exactly one probe reach a slow upstream and answers the others at once', async () => {
    script([...times(10, reply.serverError(502)), { ...reply.json(200, []), delayMs: 300 }]);
    const { time, breaker, client, charge } = setup();
    await using _ = client;
    for (let i = 0; i < 10; i++) await outcome(charge());
    time.advance(60_000);
    const started = performance.now();
    let probeDone = false;
    const probe = charge().finally(() => {
      probeDone = true;
    });
    const others = await Promise.all(Array.from({ length: 8 }, () => outcome(charge())));
    expect(others.every((e) => e instanceof CircuitOpenError)).toBe(true);
    expect(probeDone).toBe(false); // the others were answered while the probe still hung
    expect(await probe).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290); // the probe did wait for the upstream
    expect(up.requests).toHaveLength(11);
    expect(breaker.state).toBe('half_open');
  });

  it('counts one call with all its retries once (the breaker sits outside retry)', async () => {
    up.on('GET', '/charges', reply.serverError(503));
    const { breaker, client, charge } = setup(
      {},
      { maxRetries: 2, initialDelay: 1, jitter: false, budget: false },
    );
    await using _ = client;
    for (let i = 0; i < 10; i++) expect(await outcome(charge())).toMatchObject({ status: 503, attempts: 3 });
    expect(breaker.state).toBe('open');
    expect(up.requests).toHaveLength(30);
    await outcome(charge());
    expect(up.requests).toHaveLength(30);
  });

  it('opens on refused connections', async () => {
    const { breaker, client, charge } = setup();
    await using _ = client;
    await up.close(); // nothing listens on the port any more
    for (let i = 0; i < 10; i++) {
      expect(await outcome(charge())).toMatchObject({ type: 'IntegrationTemporaryError', status: undefined });
    }
    expect(breaker.state).toBe('open');
  });

  it('stays closed through 404s, 401s and 429s: the upstream is answering', async () => {
    script(Array.from({ length: 30 }, (_, i) => reply.status([404, 401, 429][i % 3] ?? 404)));
    const { breaker, client, charge } = setup();
    await using _ = client;
    for (let i = 0; i < 30; i++) await outcome(charge());
    expect(up.requests).toHaveLength(30);
    expect(breaker.state).toBe('closed');
  });
});
