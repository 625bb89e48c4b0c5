import { describe, expect, it } from 'vitest';
import { PROCESSING_RETRY, retryDelay } from '../process/retry-plan.js';
import { compilePatterns } from './patterns.js';

describe('event-type patterns', () => {
  it('matches * across dots and everything else literally', () => {
    const wants = compilePatterns(['github.*', '*.transaction.updated', 'stripe.charge.(refunded)']);
    expect(wants('github.pull_request.opened')).toBe(true);
    expect(wants('payments.transaction.updated')).toBe(true);
    expect(wants('stripe.charge.(refunded)')).toBe(true);
    expect(wants('stripe.charge.refunded')).toBe(false);
    expect(wants('githubx.push')).toBe(false);
    expect(compilePatterns(['*'])('anything.at.all')).toBe(true);
  });
});

describe('retry delays', () => {
  it('grow ×3 from the initial delay up to the cap, fully jittered', () => {
    const top = (attempt: number) => retryDelay(PROCESSING_RETRY, attempt, () => 1);
    expect([1, 2, 3, 4].map(top)).toEqual([1000, 3000, 9000, 27000]);
    expect(top(20)).toBe(300_000);
    expect(retryDelay(PROCESSING_RETRY, 3, () => 0)).toBe(0);
    expect(retryDelay(PROCESSING_RETRY, 3, () => 0.5)).toBe(4500);
  });
});
