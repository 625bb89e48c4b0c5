import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('gives percentiles within 4% of the exact value', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 10); // 0.1 ms .. 1000 ms, uniform
    expect(h.percentile(0.5)).toBeGreaterThan(500 * 0.96);
    expect(h.percentile(0.5)).toBeLessThan(500 * 1.04);
    expect(h.percentile(0.99)).toBeGreaterThan(990 * 0.96);
    expect(h.percentile(0.99)).toBeLessThanOrEqual(1000);
    expect(h.min).toBe(0.1);
    expect(h.max).toBe(1000);
    expect(h.mean).toBeCloseTo(500.05, 5);
  });

  it('never reports a percentile outside [min, max] and is 0 when empty', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(0.99)).toBe(0);
    h.record(7);
    expect(h.percentile(0.5)).toBe(7);
    h.record(-1);
    expect(h.min).toBe(0);
  });

  it('reset forgets everything', () => {
    const h = new LatencyHistogram();
    h.record(5);
    h.reset();
    expect([h.count, h.max, h.percentile(0.5)]).toEqual([0, 0, 0]);
  });
});
