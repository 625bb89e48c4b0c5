import { describe, expect, it } from 'vitest';
import { attachResponse } from '../../errors/attached-response.js';
import { IntegrationAuthError, type IntegrationError, isErrorType } from '../../errors/integration-error.js';
import { MemoryStore } from '../../state/memory-store.js';
import type { StateStore } from '../../state/state-store.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { settle, TestClock } from './test-clock.js';

function setup(
  options: {
    maxRequests?: number;
    windowSeconds?: number;
    burstSize?: number;
    respectRetryAfter?: boolean;
  } = {},
) {
  const clock = new TestClock();
  const memory = new MemoryStore(() => clock.wallNow());
  const calls = { takeTokens: 0, pausedUntil: 0 };
  // Counts store traffic, to prove waits are computed rather than polled.
  const store: StateStore = Object.assign(Object.create(memory) as StateStore, {
    takeTokens: (...args: Parameters<StateStore['takeTokens']>) => {
      calls.takeTokens++;
      return memory.takeTokens(...args);
    },
    pausedUntil: (key: string) => {
      calls.pausedUntil++;
      return memory.pausedUntil(key);
    },
  });
  const limiter = createRateLimiter({
    name: 'svc',
    maxRequests: 10,
    windowSeconds: 1,
    burstSize: 5,
    clock,
    store,
    ...options,
  });
  return { clock, limiter, calls, store: memory };
}

/** Starts acquires and records when (fake time) each one settles, and how. */
function fire(
  limiter: RateLimiter,
  clock: TestClock,
  count: number,
  call: Parameters<RateLimiter['acquire']>[0] = {},
) {
  const done: { i: number; at: number; error?: unknown }[] = [];
  const promises = Array.from({ length: count }, (_, i) =>
    limiter.acquire(call).then(
      () => void done.push({ i, at: clock.now() }),
      (error: unknown) => void done.push({ i, at: clock.now(), error }),
    ),
  );
  return { done, all: () => Promise.all(promises), times: () => done.map((d) => d.at) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('token bucket', () => {
  it('lets a burst through at once, then one per refill interval, first come first served', async () => {
    const { clock, limiter } = setup();
    const run = fire(limiter, clock, 12);
    await settle();
    expect(run.times()).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(700);
    await run.all();
    expect(run.times()).toEqual([0, 0, 0, 0, 0, 100, 200, 300, 400, 500, 600, 700]);
    expect(run.done.map((d) => d.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('sleeps exactly the computed wait and asks the store a bounded number of times (no polling)', async () => {
    const { clock, limiter, calls } = setup();
    const run = fire(limiter, clock, 12);
    await clock.advance(5_000);
    await run.all();
    // Seven callers had to wait; each waited one interval, once.
    expect(clock.sleeps).toEqual([100, 100, 100, 100, 100, 100, 100]);
    // 12 first tries + per waiter at most: one try when its turn comes, one after its sleep.
    expect(calls.takeTokens).toBeLessThanOrEqual(12 + 2 * 7);
  });

  it('queued callers wait on their turn, not on the store', async () => {
    const { clock, limiter, calls } = setup();
    await fire(limiter, clock, 5).all();
    const queued: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      queued.push(limiter.acquire());
      await settle();
    }
    // Only the first of the ten asked the store; nine joined the queue behind it without a call.
    expect(calls.takeTokens).toBe(5 + 1);
    expect((await limiter.snapshot()).waiting).toBe(10);
    await clock.advance(1000);
    await Promise.all(queued);
  });

  it('refills while idle, up to the burst size only', async () => {
    const { clock, limiter } = setup();
    await fire(limiter, clock, 5).all();
    await clock.advance(10_000);
    const run = fire(limiter, clock, 7);
    await settle();
    expect(run.done).toHaveLength(5);
    expect((await limiter.snapshot()).tokens).toBe(0);
    await clock.advance(200);
    expect(run.done).toHaveLength(7);
  });

  it('defaults to the seed: 60 per 60 s, burst = maxRequests', async () => {
    const clock = new TestClock();
    const limiter = createRateLimiter({ name: 'svc', clock });
    expect(limiter.options).toMatchObject({
      maxRequests: 60,
      windowSeconds: 60,
      burstSize: 60,
      backoffFactor: 1.5,
    });
    expect(limiter.key).toBe('patchbay:svc:default:rl');
    const run = fire(limiter, clock, 61);
    await settle();
    expect(run.done).toHaveLength(60);
    await clock.advance(1000);
    expect(run.done).toHaveLength(61);
  });

  it('rejects settings under which nothing could ever go', () => {
    expect(() => createRateLimiter({ name: 'x', maxRequests: 0 })).toThrow(/maxRequests/);
    expect(() => createRateLimiter({ name: 'x', windowSeconds: -1 })).toThrow(/windowSeconds/);
    expect(() => createRateLimiter({ name: 'x', burstSize: 0.5 })).toThrow(/burstSize/);
    expect(() => createRateLimiter({ name: 'x', backoffFactor: 0.5 })).toThrow(/backoffFactor/);
  });

  it('shares one bucket between limiters on the same store and key, not across keys', async () => {
    const clock = new TestClock();
    const store = new MemoryStore(() => clock.wallNow());
    const make = (key: string) =>
      createRateLimiter({ name: 'svc', maxRequests: 1, windowSeconds: 1, burstSize: 2, clock, store, key });
    const a = fire(make('k1'), clock, 2);
    const b = fire(make('k1'), clock, 2);
    const c = fire(make('k2'), clock, 2);
    await settle();
    expect(a.done.length + b.done.length).toBe(2);
    expect(c.done).toHaveLength(2);
  });
});

describe('deadlines and aborts', () => {
  it('fails at once with IntegrationRateLimited when the wait would pass the deadline', async () => {
    const { clock, limiter } = setup({ maxRequests: 1, burstSize: 1 });
    await limiter.acquire();
    const error = (await rejection(
      limiter.acquire({ deadlineAt: clock.now() + 500, integration: 'github', operation: 'get_repo' }),
    )) as IntegrationError;
    expect(isErrorType(error, 'IntegrationRateLimited')).toBe(true);
    expect(error).toMatchObject({
      retryAfter: 1,
      retryAfterMs: 1000,
      integration: 'github',
      operation: 'get_repo',
    });
    expect(error.requestSent).toBe(false);
    expect(clock.now()).toBe(0); // at once, not after waiting
    expect(clock.sleeps).toEqual([]);
  });

  it('fails a queued caller at once when the callers ahead make it miss its deadline', async () => {
    const { clock, limiter } = setup({ maxRequests: 1, burstSize: 1 });
    await limiter.acquire();
    const patient = limiter.acquire(); // next token at 1000
    await settle();
    const hurried = rejection(limiter.acquire({ deadlineAt: 1500 })); // its token would come at 2000
    const onTime = limiter.acquire({ deadlineAt: 2500 });
    await settle();
    expect(await hurried).toMatchObject({ type: 'IntegrationRateLimited', retryAfterMs: 2000 });
    expect(clock.now()).toBe(0);
    await clock.advance(2000);
    await expect(patient).resolves.toEqual({ waitedMs: 1000 });
    await expect(onTime).resolves.toEqual({ waitedMs: 2000 });
  });

  it('ends a wait at once on abort, with the signal reason, and the next caller moves up', async () => {
    const { clock, limiter } = setup({ maxRequests: 1, burstSize: 1 });
    await limiter.acquire();
    const front = new AbortController();
    const queued = new AbortController();
    const aborted = rejection(limiter.acquire({ signal: front.signal }));
    const abortedInQueue = rejection(limiter.acquire({ signal: queued.signal }));
    const last = limiter.acquire();
    await settle();
    expect((await limiter.snapshot()).waiting).toBe(3);
    front.abort(new Error('caller gave up'));
    queued.abort(new Error('also gave up'));
    expect(await aborted).toMatchObject({ message: 'caller gave up' });
    expect(await abortedInQueue).toMatchObject({ message: 'also gave up' });
    expect(clock.now()).toBe(0);
    await clock.advance(1000);
    await expect(last).resolves.toEqual({ waitedMs: 1000 });
  });

  it('rejects at once for an already aborted signal', async () => {
    const { limiter } = setup();
    const reason = new Error('already');
    await expect(limiter.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('learning from the upstream', () => {
  const wallSeconds = (clock: TestClock, plus: number) => String(clock.wallNow() / 1000 + plus);

  it('one 429 with Retry-After pauses every queued and future caller until it ends', async () => {
    const { clock, limiter } = setup();
    const queued = fire(limiter, clock, 20);
    await settle(); // 5 got tokens, 15 queue
    expect(await limiter.observe({ 'retry-after': '1' }, 429)).toEqual({
      pauseMs: 1000,
      reason: 'retry-after',
    });
    const later = fire(limiter, clock, 3);
    await clock.advance(999);
    expect(queued.done).toHaveLength(5);
    expect(later.done).toHaveLength(0);
    await clock.advance(1);
    // The bucket refilled to its burst during the pause: five go at the end, then the steady rate.
    expect(queued.done.length + later.done.length).toBe(5 + 5);
    await clock.advance(5_000);
    expect(
      queued
        .times()
        .slice(5)
        .every((t) => t >= 1000),
    ).toBe(true);
    expect(later.times().every((t) => t >= 1000)).toBe(true);
  });

  it('pauses until X-RateLimit-Reset when a 200 says remaining 0', async () => {
    const { clock, limiter } = setup();
    await limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': wallSeconds(clock, 2) }, 200);
    const run = fire(limiter, clock, 3);
    await clock.advance(1999);
    expect(run.done).toHaveLength(0);
    await clock.advance(1);
    expect(run.times()).toEqual([2000, 2000, 2000]);
  });

  const formats: [string, (clock: TestClock) => Record<string, string>][] = [
    ['epoch seconds', (c) => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': wallSeconds(c, 3) })],
    ['epoch ms', (c) => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(c.wallNow() + 3000) })],
    [
      'ISO-8601',
      (c) => ({
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': new Date(c.wallNow() + 3000).toISOString(),
      }),
    ],
    ['delta seconds', () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' })],
    ['Reset-After', () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '3.0' })],
    ['IETF trio', () => ({ 'ratelimit-remaining': '0', 'ratelimit-reset': '3' })],
    ['IETF structured', () => ({ ratelimit: '"default";r=0;t=3', 'ratelimit-policy': '"default";q=10;w=1' })],
    ['IETF draft 07 dictionary', () => ({ ratelimit: 'limit=10, remaining=0, reset=3' })],
  ];
  for (const [format, headers] of formats) {
    it(`pauses until a reset given as ${format}`, async () => {
      const { clock, limiter } = setup();
      expect(await limiter.observe(headers(clock), 200)).toEqual({
        pauseMs: 3000,
        reason: 'quota-exhausted',
      });
      const pending = limiter.acquire();
      await clock.advance(2999);
      expect((await limiter.snapshot()).waiting).toBe(1);
      await clock.advance(1);
      await expect(pending).resolves.toEqual({ waitedMs: 3000 });
    });
  }

  it('lets Retry-After beat a RateLimit header that disagrees', async () => {
    const { clock, limiter } = setup();
    await limiter.observe({ 'retry-after': '1', ratelimit: '"default";r=0;t=30' }, 429);
    const pending = limiter.acquire();
    await clock.advance(1000);
    await expect(pending).resolves.toEqual({ waitedMs: 1000 });
  });

  it('ignores garbage headers: no pause on a 200, only its own backoff on a 429', async () => {
    const { clock, limiter } = setup();
    const garbage = {
      'retry-after': 'soon',
      'x-ratelimit-remaining': 'zero',
      'x-ratelimit-reset': 'later',
      ratelimit: '"default";r=0;;t',
      'ratelimit-reset': '-1',
    };
    expect(await limiter.observe(garbage, 200)).toBeUndefined();
    expect(await limiter.acquire()).toEqual({ waitedMs: 0 });
    // 10/s: one refill interval is 100 ms, × backoffFactor 1.5.
    expect(await limiter.observe(garbage, 429)).toEqual({ pauseMs: 150, reason: 'backoff' });
    const pending = limiter.acquire();
    await clock.advance(150);
    await expect(pending).resolves.toEqual({ waitedMs: 150 });
  });

  it('grows the backoff on consecutive 429s and resets it on a success', async () => {
    const { limiter } = setup();
    const pauses: (number | undefined)[] = [];
    for (const status of [429, 429, 429, 500, 429, 200, 429]) {
      pauses.push((await limiter.observe({}, status))?.pauseMs);
    }
    expect(pauses).toEqual([150, 225, 338, undefined, 507, undefined, 150]);
  });

  it('never shortens a pause another caller set', async () => {
    const { clock, limiter } = setup();
    await limiter.observe({ 'retry-after': '5' }, 429);
    await limiter.observe({ 'retry-after': '1' }, 429);
    const pending = limiter.acquire();
    await clock.advance(4999);
    expect((await limiter.snapshot()).waiting).toBe(1);
    await clock.advance(1);
    await expect(pending).resolves.toEqual({ waitedMs: 5000 });
  });

  it('fails at once the callers whose deadline falls inside a pause', async () => {
    const { clock, limiter } = setup();
    await limiter.observe({ 'retry-after': '30' }, 429);
    const error = await rejection(limiter.acquire({ deadlineAt: 10_000 }));
    expect(error).toMatchObject({ type: 'IntegrationRateLimited', retryAfter: 30, retryAfterMs: 30_000 });
    expect((error as Error).message).toMatch(/paused/);
    expect(clock.now()).toBe(0);
  });

  it('fails queued callers as soon as a pause puts their deadline out of reach', async () => {
    const { clock, limiter } = setup({ maxRequests: 1, burstSize: 1 });
    await limiter.acquire();
    const front = limiter.acquire(); // sleeping until the next token at 1000
    await settle();
    const queued = limiter.acquire({ deadlineAt: 20_000 }).then(
      () => ({ at: clock.now(), error: undefined }),
      (error: unknown) => ({ at: clock.now(), error }),
    );
    await settle();
    await limiter.observe({ 'retry-after': '30' }, 429);
    await clock.advance(1000); // the front wakes, meets the pause, and tells the queue
    const outcome = await queued;
    expect(outcome.at).toBe(1000);
    expect(outcome.error).toMatchObject({ type: 'IntegrationRateLimited', retryAfterMs: 30_000 });
    await clock.advance(29_000);
    await expect(front).resolves.toEqual({ waitedMs: 30_000 });
  });

  it('with respectRetryAfter false, ignores the upstream times but still backs off on 429', async () => {
    const { limiter } = setup({ respectRetryAfter: false });
    expect(await limiter.observe({ 'retry-after': '30' }, 429)).toEqual({ pauseMs: 150, reason: 'backoff' });
    expect(
      await limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' }, 200),
    ).toBeUndefined();
  });

  it('learns from a typed error: the response it keeps, else its status and Retry-After', async () => {
    const { limiter } = setup();
    expect(await limiter.observeError({ status: 429, retryAfterMs: 2500 })).toEqual({
      pauseMs: 2500,
      reason: 'retry-after',
    });
    const error = new IntegrationAuthError('Authentication failed (HTTP 403)', { status: 403 });
    attachResponse(error, {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4' },
      body: Buffer.from(''),
      url: 'http://up/x',
    });
    expect(await limiter.observeError(error)).toEqual({ pauseMs: 4000, reason: 'quota-exhausted' });
    expect(await limiter.observeError({ status: undefined })).toBeUndefined(); // no response, nothing learnt
  });
});

describe('snapshot', () => {
  it('reports tokens, the pause and what the upstream last said', async () => {
    const { clock, limiter } = setup();
    await fire(limiter, clock, 2).all();
    await limiter.observe(
      {
        ratelimit: '"burst";r=0;t=2, "day";r=90;t=600',
        'ratelimit-policy': '"burst";q=10;w=1, "day";q=100;w=86400',
      },
      200,
    );
    await clock.advance(500);
    const snap = await limiter.snapshot();
    expect(snap).toMatchObject({
      name: 'svc',
      capacity: 5,
      refillPerSecond: 10,
      tokens: 5,
      pausedUntil: clock.wallNow() + 1500,
      pausedForMs: 1500,
      waiting: 0,
      consecutiveRateLimited: 0,
      lastPause: { pauseMs: 2000, reason: 'quota-exhausted', at: clock.wallNow() - 500 },
      upstream: {
        source: 'ratelimit',
        name: 'burst',
        limit: 10,
        remaining: 0,
        observedAt: clock.wallNow() - 500,
      },
    });
    await clock.advance(1500);
    expect(await limiter.snapshot()).toMatchObject({ pausedUntil: undefined, pausedForMs: 0 });
  });
});
