import { describe, expect, it } from 'vitest';
import {
  type IntegrationError,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  IntegrationTimeoutError,
} from '../errors/integration-error.js';
import type { PreparedRequest, RawResponse } from '../http/types.js';
import type { Clock } from './clock.js';
import type { CallContext, Handler } from './pipeline.js';
import { type NoRetryReason, type RetryObserver, retryPolicy } from './retry.js';
import { RetryBudget } from './retry-budget.js';
import { type RetryOptions, resolveRetryOptions } from './retry-options.js';

/** A clock whose sleeps complete at once but advance time, and are recorded. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    wallNow: () => 1_700_000_000_000 + now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms) };
}

const OK: RawResponse = { status: 200, headers: {}, body: Buffer.from('{}'), url: 'http://x/' };

function script(...outcomes: (IntegrationError | 'ok')[]): Handler & { calls: number } {
  const handler = Object.assign(
    async () => {
      const next = outcomes[Math.min(handler.calls, outcomes.length - 1)];
      handler.calls++;
      if (next === 'ok' || next === undefined) return OK;
      throw next;
    },
    { calls: 0 },
  );
  return handler;
}

function run(
  transport: Handler,
  opts: RetryOptions & {
    method?: PreparedRequest['method'];
    idempotencyKey?: string;
    deadline?: number;
  } = {},
  clock = fakeClock(),
) {
  const given: string[] = [];
  const observer: RetryObserver = {
    onRetry: () => {},
    onGiveUp: (_e, _r, _c, reason: NoRetryReason) => {
      given.push(reason);
    },
  };
  const options = resolveRetryOptions({ jitter: false, initialDelay: 500, budget: false, ...opts });
  const budget = options.budget ? new RetryBudget(options.budget, clock.clock) : undefined;
  const policy = retryPolicy(options, { clock: clock.clock, budget, observer })(transport);
  const req: PreparedRequest = {
    method: opts.method ?? 'GET',
    origin: 'http://x',
    path: '/',
    headers: {},
    operation: 'op',
  };
  if (opts.idempotencyKey) req.idempotencyKey = opts.idempotencyKey;
  const call: CallContext = {
    integration: 'i',
    operation: 'op',
    signal: undefined,
    deadlineAt: opts.deadline ?? Number.POSITIVE_INFINITY,
    totalTimeout: opts.deadline ?? 0,
    attempt: 0,
  };
  return { promise: policy(req, call), sleeps: clock.sleeps, given, call };
}

const temp = (status = 503, retryAfterMs?: number) =>
  new IntegrationTemporaryError('down', { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('retryPolicy with a fake clock', () => {
  it('follows seed 000: 0.5s, 1s, 2s then success', async () => {
    const t = script(temp(), new IntegrationTimeoutError('slow', { code: 'HEADERS_TIMEOUT' }), temp(), 'ok');
    const r = run(t);
    await expect(r.promise).resolves.toBe(OK);
    expect(r.sleeps).toEqual([500, 1000, 2000]);
    expect(r.call.attempt).toBe(4);
  });

  it('gives up with attempts_exhausted after maxRetries', async () => {
    const r = run(script(temp()), { maxRetries: 2 });
    await expect(r.promise).rejects.toMatchObject({ attempts: 3 });
    expect(r.given).toEqual(['attempts_exhausted']);
  });

  it('uses the server wait exactly, without jitter, even with jitter on', async () => {
    const r = run(script(temp(503, 1234), 'ok'), { jitter: 'full' });
    await r.promise;
    expect(r.sleeps).toEqual([1234]);
  });

  it('fails fast when Retry-After passes the cap or the deadline', async () => {
    const capped = run(script(temp(503, 120_000)), { maxRetryAfter: 60_000 });
    await expect(capped.promise).rejects.toBeInstanceOf(IntegrationRateLimited);
    expect(capped.given).toEqual(['retry_after_too_long']);
    expect(capped.sleeps).toEqual([]);
    const late = run(script(temp(503, 5000)), { deadline: 4000 });
    await expect(late.promise).rejects.toMatchObject({ retryAfter: 5, code: 'RETRY_AFTER_TOO_LONG' });
  });

  it('does not retry POST unless idempotent or never sent', async () => {
    const post = run(script(temp()), { method: 'POST' });
    await expect(post.promise).rejects.toThrow('down');
    expect(post.given).toEqual(['not_idempotent']);
    const keyed = run(script(temp(), 'ok'), { method: 'POST', idempotencyKey: 'k1' });
    await expect(keyed.promise).resolves.toBe(OK);
    const refused = run(
      script(
        new IntegrationTemporaryError('refused', { code: 'CONNECTION_REFUSED', requestSent: false }),
        'ok',
      ),
      { method: 'PATCH' },
    );
    await expect(refused.promise).resolves.toBe(OK);
  });

  it('does not retry permanent errors, statuses outside the list, or timeouts when told not to', async () => {
    const permanent = run(script(new IntegrationPermanentError('nope', { status: 404 })));
    await expect(permanent.promise).rejects.toThrow('nope');
    expect(permanent.given).toEqual(['not_retryable']);
    const notListed = run(script(temp(501)));
    await expect(notListed.promise).rejects.toThrow();
    expect(notListed.given).toEqual(['status_not_retried']);
    const timeout = run(script(new IntegrationTimeoutError('slow', {})), { retryOnTimeout: false });
    await expect(timeout.promise).rejects.toThrow('slow');
    expect(timeout.given).toEqual(['timeout_not_retried']);
  });

  it('does not start a backoff that ends past the deadline', async () => {
    const r = run(script(temp()), { deadline: 400 });
    await expect(r.promise).rejects.toThrow('down');
    expect(r.given).toEqual(['deadline']);
    expect(r.sleeps).toEqual([]);
  });

  it('stops when the retry budget is spent', async () => {
    const clock = fakeClock();
    const r = run(
      script(temp()),
      { budget: { ratio: 0, minRetriesPerSecond: 0.2, windowMs: 10_000 } },
      clock,
    );
    await expect(r.promise).rejects.toThrow('down');
    expect(r.sleeps).toHaveLength(2);
    expect(r.given).toEqual(['budget_exhausted']);
  });

  it('passes through errors that are not IntegrationErrors (a caller abort)', async () => {
    const abort = new DOMException('stop', 'AbortError');
    const handler: Handler = async () => {
      throw abort;
    };
    const r = run(handler);
    await expect(r.promise).rejects.toBe(abort);
    expect(r.sleeps).toEqual([]);
  });
});
