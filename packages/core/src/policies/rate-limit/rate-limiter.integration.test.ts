import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationError } from '../../errors/integration-error.js';
import { send } from '../../http/transport.js';
import type { PreparedRequest, RawResponse } from '../../http/types.js';
import { Redactor } from '../../redact/redactor.js';
import { attemptTimeoutPolicy } from '../attempt-timeout.js';
import { classifyPolicy } from '../classify-policy.js';
import { systemClock } from '../clock.js';
import type { CallContext, Handler, Policy } from '../pipeline.js';
import { retryPolicy } from '../retry.js';
import { resolveRetryOptions } from '../retry-options.js';
import { rateLimitPolicy } from './rate-limit-policy.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

let up: FakeUpstream;
let agent: Agent;
beforeEach(async () => {
  up = await startFakeUpstream();
  agent = new Agent({ connections: 64 });
});
afterEach(async () => {
  await agent.close();
  await up.close();
});

/**
 * The client's pipeline with the limiter where it belongs: retry → rate limit → attempt timeout →
 * classify → undici transport, over a real socket. (Auth and signing would sit after the limiter.)
 */
function client(limiter: RateLimiter) {
  const clock = systemClock;
  const stages: Policy[] = [
    retryPolicy(resolveRetryOptions({ maxRetries: 2, initialDelay: 50, budget: false }), {
      clock,
      budget: undefined,
      observer: { onRetry: () => {}, onGiveUp: () => {} },
    }),
    rateLimitPolicy(limiter),
    attemptTimeoutPolicy({ timeout: 5_000, clock }),
    classifyPolicy({
      redactor: new Redactor(),
      timeouts: { connect: 5_000, headers: 5_000, body: 5_000 },
      wallNow: () => clock.wallNow(),
    }),
  ];
  const transport: Handler = (req, _call, signal) =>
    send(req, signal, {
      dispatcher: agent,
      headersTimeout: 5_000,
      bodyTimeout: 5_000,
      maxResponseBytes: 1 << 20,
      maxRedirects: 0,
      isCredentialHeader: () => false,
      isCredentialParam: () => false,
    });
  const handler = stages.reduceRight<Handler>((next, policy) => policy(next), transport);
  return (path: string, totalTimeout = 15_000): Promise<RawResponse> => {
    const { origin } = new URL(up.url);
    const req: PreparedRequest = { method: 'GET', origin, path, headers: {}, operation: 'get' };
    const call: CallContext = {
      integration: 'svc',
      operation: 'get',
      signal: undefined,
      deadlineAt: clock.now() + totalTimeout,
      totalTimeout,
      attempt: 0,
    };
    return handler(req, call);
  };
}

const receivedAt = (path: string) => up.requestsTo('GET', path).map((r) => r.receivedAt);

describe('rate limiter over a real upstream', () => {
  it('holds 30 concurrent calls to a burst of 5 and then 10 per second', async () => {
    up.on('GET', '/items', reply.json(200, { ok: true }));
    const limiter = createRateLimiter({ name: 'svc', maxRequests: 10, windowSeconds: 1, burstSize: 5 });
    const get = client(limiter);
    const results = await Promise.all(Array.from({ length: 30 }, () => get('/items')));

    expect(results.every((r) => r.status === 200)).toBe(true);
    const times = receivedAt('/items');
    expect(times).toHaveLength(30);
    const first = Math.min(...times);
    // Burst + one second of refill, with slack for timer granularity.
    expect(times.filter((t) => t < first + 1000).length).toBeLessThanOrEqual(5 + 10 + 1);
    // The 25 beyond the burst needed 2.5 s of refill: a generous lower bound on the spread.
    expect(Math.max(...times) - first).toBeGreaterThanOrEqual(2_300);
  });

  it('one 429 with Retry-After: 1 holds back 20 queued callers until it ends', async () => {
    up.on('GET', '/limited', reply.rateLimited({ retryAfter: 1 }), reply.json(200, { ok: true }));
    // One token at a time, 250 ms apart: the 20 are queued when the 429 comes back.
    const limiter = createRateLimiter({ name: 'svc', maxRequests: 4, windowSeconds: 1, burstSize: 1 });
    const get = client(limiter);
    const calls = Array.from({ length: 21 }, () => get('/limited'));
    const results = await Promise.all(calls);

    expect(results.every((r) => r.status === 200)).toBe(true);
    const times = receivedAt('/limited');
    expect(times).toHaveLength(22); // 21 callers + the retry of the one that met the 429
    const first = times[0] as number;
    expect(times.filter((t) => t < first + 1000)).toHaveLength(1);
    const snapshot = await limiter.snapshot();
    expect(snapshot.lastPause).toMatchObject({ reason: 'retry-after', pauseMs: 1000 });
  });

  it('a GitHub-style 403 with remaining 0 pauses callers until the reset it names', async () => {
    const resetSeconds = Math.ceil(Date.now() / 1000) + 1;
    up.on(
      'GET',
      '/repos',
      reply.json(
        403,
        { message: 'API rate limit exceeded' },
        {
          'x-ratelimit-limit': '60',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(resetSeconds),
        },
      ),
      reply.json(200, []),
    );
    const limiter = createRateLimiter({ name: 'svc', maxRequests: 100, windowSeconds: 1, burstSize: 1 });
    const get = client(limiter);
    // The 403 is read as a rate limit (not bad credentials): the call waits for the reset and retries.
    expect((await get('/repos')).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 5 }, () => get('/repos')));

    expect(results.every((r) => r.status === 200)).toBe(true);
    const times = receivedAt('/repos');
    expect(times).toHaveLength(7);
    expect(times.slice(1).every((t) => t >= resetSeconds * 1000)).toBe(true);
    expect((await limiter.snapshot()).upstream).toMatchObject({
      limit: 60,
      remaining: 0,
      resetFormat: 'epoch-seconds',
    });
  });

  it('answers at once with IntegrationRateLimited when the pause outlasts the deadline', async () => {
    up.on('GET', '/slow-down', reply.rateLimited({ retryAfter: 30 }));
    const limiter = createRateLimiter({ name: 'svc', maxRequests: 10, windowSeconds: 1 });
    const get = client(limiter);
    await expect(get('/slow-down', 2_000)).rejects.toMatchObject({
      type: 'IntegrationRateLimited',
      retryAfter: 30,
    });
    // The next caller is refused by the limiter itself, without a request, naming the pause left.
    const refused = (await get('/slow-down', 2_000).catch((e: unknown) => e)) as IntegrationError;
    expect(refused).toMatchObject({ type: 'IntegrationRateLimited', requestSent: false });
    expect(refused.retryAfter).toBeGreaterThanOrEqual(29);
    expect(receivedAt('/slow-down')).toHaveLength(1);
  });
});
