import { describe, expect, it } from 'vitest';
import { planRetry } from './retry-plan.js';

const DELAYS = [5_000, 30_000];
const lowest = () => 0;
const highest = () => 1;

describe('planRetry', () => {
  it('never retries a permanent failure', () => {
    expect(planRetry({ attempt: 1, retryable: false }, DELAYS)).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });

  it('leaves a write the hub dead-lettered to its replay', () => {
    expect(planRetry({ attempt: 1, retryable: true, deadLetterId: 'dl-1' }, DELAYS)).toEqual({
      retry: false,
      reason: 'kept-for-replay',
    });
  });

  it('waits delaysMs[attempt - 1], jittered between half of it and all of it', () => {
    expect(planRetry({ attempt: 1, retryable: true }, DELAYS, lowest)).toEqual({
      retry: true,
      delayMs: 5_000,
      waitMs: 2_500,
      reason: 'backoff',
    });
    expect(planRetry({ attempt: 1, retryable: true }, DELAYS, highest)).toMatchObject({ waitMs: 5_000 });
    expect(planRetry({ attempt: 2, retryable: true }, DELAYS, () => 0.5)).toMatchObject({
      delayMs: 30_000,
      waitMs: 22_500,
    });
  });

  it('gives up after delaysMs.length + 1 attempts', () => {
    expect(planRetry({ attempt: 3, retryable: true }, DELAYS)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
    expect(planRetry({ attempt: 1, retryable: true }, [])).toMatchObject({ reason: 'attempts-exhausted' });
  });

  it('never waits less than Retry-After: the jitter starts at it', () => {
    expect(planRetry({ attempt: 1, retryable: true, retryAfter: 4 }, DELAYS, lowest)).toEqual({
      retry: true,
      delayMs: 5_000,
      waitMs: 4_000,
      reason: 'backoff',
    });
  });

  it('moves to the shortest delay that honours a longer Retry-After', () => {
    expect(planRetry({ attempt: 1, retryable: true, retryAfter: 12 }, DELAYS, lowest)).toEqual({
      retry: true,
      delayMs: 30_000,
      waitMs: 15_000,
      reason: 'retry-after',
    });
    expect(planRetry({ attempt: 1, retryable: true, retryAfter: 20 }, DELAYS, lowest)).toMatchObject({
      delayMs: 30_000,
      waitMs: 20_000,
    });
  });

  it('fails at once when the upstream asks for more than the longest delay', () => {
    expect(planRetry({ attempt: 1, retryable: true, retryAfter: 31 }, DELAYS)).toEqual({
      retry: false,
      reason: 'wait-too-long',
    });
  });
});
