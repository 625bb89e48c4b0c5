import { describe, expect, it } from 'vitest';
import { type BackoffOptions, backoffDelay, baseDelay } from './backoff.js';

const options = (over: Partial<BackoffOptions> = {}): BackoffOptions => ({
  strategy: 'exponential',
  initialDelay: 1000,
  maxDelay: 60_000,
  backoffMultiplier: 2,
  jitter: false,
  ...over,
});

describe('baseDelay', () => {
  it('follows the seed: exponential 1s 2s 4s 8s', () => {
    expect([0, 1, 2, 3].map((r) => baseDelay(options(), r))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('follows the seed: linear initial × (retry + 1) × multiplier', () => {
    expect([0, 1, 2].map((r) => baseDelay(options({ strategy: 'linear' }), r))).toEqual([2000, 4000, 6000]);
  });

  it('follows the seed: fixed', () => {
    expect([0, 5].map((r) => baseDelay(options({ strategy: 'fixed', initialDelay: 700 }), r))).toEqual([
      700, 700,
    ]);
  });

  it('never goes above maxDelay', () => {
    expect(baseDelay(options({ maxDelay: 5000 }), 10)).toBe(5000);
  });
});

describe('backoffDelay jitter', () => {
  it('proportional (true) stays within ±25% of the base', () => {
    const o = options({ jitter: true });
    expect(backoffDelay(o, 2, 0, () => 0)).toBe(3000);
    expect(backoffDelay(o, 2, 0, () => 0.999_999)).toBeCloseTo(5000, 0);
  });

  it('full jitter spans [0, base]', () => {
    const o = options({ jitter: 'full' });
    expect(backoffDelay(o, 3, 0, () => 0)).toBe(0);
    expect(backoffDelay(o, 3, 0, () => 0.5)).toBe(4000);
  });

  it('decorrelated jitter grows from the previous wait and respects the cap', () => {
    const o = options({ jitter: 'decorrelated', maxDelay: 10_000 });
    expect(backoffDelay(o, 0, 1000, () => 1)).toBe(3000);
    expect(backoffDelay(o, 4, 9000, () => 1)).toBe(10_000);
    expect(backoffDelay(o, 4, 9000, () => 0)).toBe(1000);
  });

  it('spreads many clients apart with real randomness', () => {
    const o = options({ jitter: 'full' });
    const waits = new Set(Array.from({ length: 50 }, () => Math.round(backoffDelay(o, 2, 0))));
    expect(waits.size).toBeGreaterThan(30);
  });
});
