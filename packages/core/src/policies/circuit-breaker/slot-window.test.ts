import { describe, expect, it } from 'vitest';
import { SlotWindow } from './slot-window.js';

describe('SlotWindow', () => {
  it('sums the last windowMs in slots of a tenth, forgetting slot by slot', () => {
    const window = new SlotWindow(10_000);
    window.record(0, true);
    window.record(999, false);
    window.record(5_000, true);
    expect([window.calls, window.failures]).toEqual([3, 2]);
    window.advance(9_999);
    expect([window.calls, window.failures]).toEqual([3, 2]);
    window.advance(10_000); // the slot [0, 1000) leaves
    expect([window.calls, window.failures]).toEqual([1, 1]);
    window.advance(15_000);
    expect([window.calls, window.failures]).toEqual([0, 0]);
  });

  it('clears everything after a long silence, and starts again cleanly', () => {
    const window = new SlotWindow(60_000);
    for (let i = 0; i < 100; i++) window.record(i * 10, i % 2 === 0);
    window.record(10 * 60_000, true);
    expect([window.calls, window.failures]).toEqual([1, 1]);
    window.clear();
    window.record(10 * 60_000 + 1, false);
    expect([window.calls, window.failures]).toEqual([1, 0]);
  });

  it('keeps counting into the newest slot if the clock steps back', () => {
    const window = new SlotWindow(10_000);
    window.record(5_000, true);
    window.record(4_000, true);
    expect(window.failures).toBe(2);
  });
});
