import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { RetryBudget } from './retry-budget.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    wallNow: () => now,
    sleep: async () => {},
    advance(ms) {
      now += ms;
    },
  };
}

describe('RetryBudget', () => {
  it('allows the floor of retries even with no traffic', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0.5, windowMs: 10_000 }, clock);
    const granted = Array.from({ length: 10 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(5);
  });

  it('caps retries at the ratio of recent requests plus the floor', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, windowMs: 10_000 }, clock);
    for (let i = 0; i < 100; i++) budget.recordRequest();
    const granted = Array.from({ length: 100 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(20);
  });

  it('forgets requests and retries that left the window', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, windowMs: 10_000 }, clock);
    for (let i = 0; i < 50; i++) budget.recordRequest();
    while (budget.tryRetry()) {}
    expect(budget.tryRetry()).toBe(false);
    clock.advance(11_000);
    expect(budget.tryRetry()).toBe(false); // the old requests are gone too
    for (let i = 0; i < 10; i++) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });
});
