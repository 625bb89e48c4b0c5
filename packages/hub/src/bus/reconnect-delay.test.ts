import { describe, expect, it } from 'vitest';
import { reconnectDelays } from './reconnect-delay.js';

describe('reconnectDelays (decorrelated jitter)', () => {
  it('stays between the floor and three times the previous wait, capped', () => {
    const top = reconnectDelays({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 1);
    expect([top.next(), top.next(), top.next(), top.next()]).toEqual([300, 900, 1_000, 1_000]);
    const bottom = reconnectDelays({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 0);
    expect([bottom.next(), bottom.next()]).toEqual([100, 100]);
  });

  it('spreads the waits of processes that lost the broker together', () => {
    const draws = [0.1, 0.9];
    const waits = draws.map((r) =>
      reconnectDelays({ initialDelayMs: 500, maxDelayMs: 30_000 }, () => r).next(),
    );
    expect(waits).toEqual([600, 1_400]);
  });

  it('starts over after reset()', () => {
    const delays = reconnectDelays({ initialDelayMs: 100, maxDelayMs: 10_000 }, () => 1);
    delays.next();
    delays.next();
    delays.reset();
    expect(delays.next()).toBe(300);
  });

  it('defaults to 500 ms .. 30 s', () => {
    const delays = reconnectDelays({}, () => 1);
    for (let i = 0; i < 10; i++) delays.next();
    expect(delays.next()).toBe(30_000);
    expect(reconnectDelays({}, () => 0).next()).toBe(500);
  });
});
