import { describe, expect, it } from 'vitest';
import { backoffPauseMs, decidePause, tightestQuota } from './pause-decision.js';
import { readUpstreamSignal } from './upstream-signal.js';

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;
const respect = { respectRetryAfter: true, backoffMs: 1500 };
const decide = (headers: Record<string, string>, status: number, options = respect) =>
  decidePause(readUpstreamSignal(headers, NOW), status, options, NOW);

describe('decidePause', () => {
  it('pauses for Retry-After on 429, 503 and 403', () => {
    expect(decide({ 'retry-after': '1' }, 429)).toEqual({ pauseMs: 1000, reason: 'retry-after' });
    expect(decide({ 'retry-after': '2' }, 503)).toEqual({ pauseMs: 2000, reason: 'retry-after' });
    expect(decide({ 'retry-after': '60' }, 403)).toEqual({ pauseMs: 60_000, reason: 'retry-after' });
  });

  it('ignores Retry-After on statuses that are not about limits', () => {
    expect(decide({ 'retry-after': '5' }, 200)).toBeUndefined();
    expect(decide({ 'retry-after': '5' }, 301)).toBeUndefined();
    expect(decide({ 'retry-after': '5' }, 500)).toBeUndefined();
  });

  it('lets Retry-After win over RateLimit, whether shorter or longer', () => {
    expect(decide({ 'retry-after': '2', ratelimit: '"default";r=0;t=30' }, 429)).toEqual({
      pauseMs: 2000,
      reason: 'retry-after',
    });
    expect(
      decide({ 'retry-after': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, 429),
    ).toEqual({ pauseMs: 30_000, reason: 'retry-after' });
  });

  it('takes Retry-After: 0 as "go ahead"', () => {
    expect(decide({ 'retry-after': '0', ratelimit: '"default";r=0;t=30' }, 429)).toBeUndefined();
  });

  it('pauses until the reset when a quota is exhausted, on any status', () => {
    const github403 = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S + 42) };
    expect(decide(github403, 403)).toEqual({ pauseMs: 42_000, reason: 'quota-exhausted' });
    expect(decide(github403, 200)).toEqual({ pauseMs: 42_000, reason: 'quota-exhausted' });
    expect(decide({ ratelimit: '"default";r=0;t=30' }, 429)).toEqual({
      pauseMs: 30_000,
      reason: 'quota-exhausted',
    });
  });

  it('waits for the latest reset when several quotas are exhausted', () => {
    const headers = {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': '5',
      ratelimit: '"burst";r=0;t=2, "day";r=0;t=600',
    };
    expect(decide(headers, 200)).toEqual({ pauseMs: 600_000, reason: 'quota-exhausted' });
  });

  it('does not pause while quota remains, or when the reset is past', () => {
    expect(
      decide({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': String(NOW_S + 60) }, 200),
    ).toBeUndefined();
    expect(
      decide({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S - 1) }, 200),
    ).toBeUndefined();
    expect(decide({ 'x-ratelimit-remaining': '0' }, 200)).toBeUndefined(); // no reset: nothing to wait for
  });

  it('falls back to our backoff on a 429 that names no usable time', () => {
    expect(decide({}, 429)).toEqual({ pauseMs: 1500, reason: 'backoff' });
    expect(decide({ 'retry-after': 'later', 'x-ratelimit-reset': 'whenever' }, 429)).toEqual({
      pauseMs: 1500,
      reason: 'backoff',
    });
    expect(decide({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S - 1) }, 429)).toEqual({
      pauseMs: 1500,
      reason: 'backoff',
    });
    expect(decide({}, 503)).toBeUndefined(); // a plain 503 is the breaker's business, not the limiter's
  });

  it('with respectRetryAfter false, trusts only its own backoff', () => {
    const options = { respectRetryAfter: false, backoffMs: 1500 };
    expect(decide({ 'retry-after': '30' }, 429, options)).toEqual({ pauseMs: 1500, reason: 'backoff' });
    expect(decide({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' }, 200, options)).toBeUndefined();
  });
});

describe('backoffPauseMs', () => {
  it('grows by the factor with each 429 in a row, capped at one window', () => {
    const pause = (consecutive: number) =>
      backoffPauseMs({ intervalMs: 1000, factor: 1.5, consecutive, capMs: 5000 });
    expect([0, 1, 2, 3, 4, 5].map(pause)).toEqual([0, 1500, 2250, 3375, 5000, 5000]);
  });
});

describe('tightestQuota', () => {
  it('picks the quota with the fewest remaining', () => {
    const quotas = readUpstreamSignal(
      { 'x-ratelimit-remaining': '40', ratelimit: '"burst";r=3;t=1, "day";r=900;t=60' },
      NOW,
    ).quotas;
    expect(tightestQuota(quotas)).toMatchObject({ name: 'burst', remaining: 3 });
    expect(tightestQuota([])).toBeUndefined();
  });
});
