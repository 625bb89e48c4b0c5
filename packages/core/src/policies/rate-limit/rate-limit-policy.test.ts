import { describe, expect, it } from 'vitest';
import type { PreparedRequest, RawResponse } from '../../http/types.js';
import { Redactor } from '../../redact/redactor.js';
import { classifyPolicy } from '../classify-policy.js';
import type { CallContext, Handler, Policy } from '../pipeline.js';
import { type NoRetryReason, retryPolicy } from '../retry.js';
import { resolveRetryOptions } from '../retry-options.js';
import { rateLimitAcquirePolicy, rateLimitObservePolicy, rateLimitPolicy } from './rate-limit-policy.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { settle, TestClock } from './test-clock.js';

type Scripted = { status: number; headers?: Record<string, string> };

/** A transport that answers from a script and records the fake time of each attempt. */
function transport(clock: TestClock, ...script: Scripted[]): Handler & { at: number[] } {
  const at: number[] = [];
  const handler = async (): Promise<RawResponse> => {
    const next = script[Math.min(at.length, script.length - 1)] ?? { status: 200 };
    at.push(clock.now());
    return { status: next.status, headers: next.headers ?? {}, body: Buffer.from('{}'), url: 'http://up/x' };
  };
  return Object.assign(handler, { at });
}

function pipeline(clock: TestClock, limiter: RateLimiter, inner: Handler, stages: 'pair' | 'combined') {
  const gaveUp: NoRetryReason[] = [];
  const retry = retryPolicy(
    resolveRetryOptions({ maxRetries: 2, initialDelay: 10, jitter: false, budget: false }),
    {
      clock,
      budget: undefined,
      observer: { onRetry: () => {}, onGiveUp: (_e, _r, _c, reason) => void gaveUp.push(reason) },
    },
  );
  const classify = classifyPolicy({
    redactor: new Redactor(),
    timeouts: { connect: 1000, headers: 1000, body: 1000 },
    wallNow: () => clock.wallNow(),
  });
  // The placement the lead wires into composePipeline: acquire inside retry, observe above the transport.
  const order: Policy[] =
    stages === 'pair'
      ? [retry, rateLimitAcquirePolicy(limiter), classify, rateLimitObservePolicy(limiter)]
      : [retry, rateLimitPolicy(limiter), classify];
  const handler = order.reduceRight<Handler>((next, policy) => policy(next), inner);
  const call = (deadlineAt = Number.POSITIVE_INFINITY): Promise<RawResponse> => {
    const req: PreparedRequest = {
      method: 'GET',
      origin: 'http://up',
      path: '/x',
      headers: {},
      operation: 'op',
    };
    const ctx: CallContext = {
      integration: 'svc',
      operation: 'op',
      signal: undefined,
      deadlineAt,
      totalTimeout: 0,
      attempt: 0,
    };
    return handler(req, ctx);
  };
  return { call, gaveUp };
}

const limiterOn = (clock: TestClock, maxRequests = 1, burstSize = 1) =>
  createRateLimiter({ name: 'svc', maxRequests, windowSeconds: 1, burstSize, clock });

describe('rate limit policies in the pipeline', () => {
  it('takes a token for every attempt, so a retry waits for the rate too', async () => {
    const clock = new TestClock();
    const up = transport(clock, { status: 503 }, { status: 200 });
    const { call } = pipeline(clock, limiterOn(clock), up, 'pair');
    const done = call();
    await clock.advance(2000);
    await expect(done).resolves.toMatchObject({ status: 200 });
    expect(up.at).toEqual([0, 1000]); // the retry's own 10 ms backoff, then the limiter's wait for a token
  });

  it('pauses every caller on a 429 seen by one, and its retry goes when the pause ends', async () => {
    const clock = new TestClock();
    const up = transport(clock, { status: 429, headers: { 'retry-after': '2' } }, { status: 200 });
    const { call } = pipeline(clock, limiterOn(clock, 10, 5), up, 'pair');
    const first = call();
    await settle();
    const others = Array.from({ length: 10 }, () => call());
    await clock.advance(1999);
    expect(up.at).toEqual([0]);
    await clock.advance(5000);
    await Promise.all([first, ...others]);
    expect(up.at).toHaveLength(12);
    expect(up.at.slice(1).every((t) => t >= 2000)).toBe(true);
  });

  it("learns from a 403's quota headers below classify, where they are still on the response", async () => {
    const clock = new TestClock();
    const reset = String(clock.wallNow() / 1000 + 3);
    const up = transport(
      clock,
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
      { status: 200 },
    );
    const { call } = pipeline(clock, limiterOn(clock, 10, 5), up, 'pair');
    // The 403 names an exhausted quota: a rate limit, so the call itself waits for the reset too.
    const first = call();
    await settle();
    const next = call();
    await clock.advance(2999);
    expect(up.at).toEqual([0]);
    await clock.advance(1);
    await expect(first).resolves.toMatchObject({ status: 200 });
    await expect(next).resolves.toMatchObject({ status: 200 });
    expect(up.at).toEqual([0, 3000, 3000]);
  });

  it('fails at once, without retrying or sending, when the wait for a token passes the deadline', async () => {
    const clock = new TestClock();
    const up = transport(clock, { status: 200 });
    const { call, gaveUp } = pipeline(clock, limiterOn(clock), up, 'pair');
    await call();
    await expect(call(500)).rejects.toMatchObject({
      type: 'IntegrationRateLimited',
      retryAfter: 1,
      requestSent: false,
    });
    expect(up.at).toEqual([0]);
    expect(gaveUp).toEqual(['retry_after_too_long']);
    expect(clock.now()).toBe(0);
  });

  it('the combined policy learns from the typed error of a 429 (status and Retry-After)', async () => {
    const clock = new TestClock();
    const up = transport(clock, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 });
    const limiter = limiterOn(clock, 10, 5);
    const { call } = pipeline(clock, limiter, up, 'combined');
    const first = call();
    await settle();
    const second = call();
    await clock.advance(999);
    expect(up.at).toEqual([0]);
    expect((await limiter.snapshot()).lastPause).toMatchObject({ reason: 'retry-after', pauseMs: 1000 });
    await clock.advance(1);
    await Promise.all([first, second]);
    expect(up.at).toEqual([0, 1000, 1000]);
  });

  it("the combined policy reads a 403's quota headers from the response its error keeps", async () => {
    const clock = new TestClock();
    const reset = String(clock.wallNow() / 1000 + 3);
    const up = transport(
      clock,
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
      { status: 200 },
    );
    const { call } = pipeline(clock, limiterOn(clock, 10, 5), up, 'combined');
    const first = call();
    await settle();
    const next = call();
    await clock.advance(3000);
    await expect(first).resolves.toMatchObject({ status: 200 });
    await expect(next).resolves.toMatchObject({ status: 200 });
    expect(up.at).toEqual([0, 3000, 3000]);
  });

  it('a store failure while learning does not fail the call that got an answer', async () => {
    const clock = new TestClock();
    const limiter = limiterOn(clock, 10, 5);
    const broken: RateLimiter = {
      ...limiter,
      acquire: (c) => limiter.acquire(c),
      observe: () => Promise.reject(new Error('store down')),
    };
    const up = transport(clock, {
      status: 200,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5' },
    });
    const { call } = pipeline(clock, broken, up, 'pair');
    await expect(call()).resolves.toMatchObject({ status: 200 });
  });
});
