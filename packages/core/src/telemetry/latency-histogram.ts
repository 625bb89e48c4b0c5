const MIN_MS = 0.01;
const GROWTH = 1.04;
const LOG_GROWTH = Math.log(GROWTH);
/** Buckets from 0.01 ms up to ~24 h at 4% resolution. */
const BUCKETS = Math.ceil(Math.log(86_400_000 / MIN_MS) / LOG_GROWTH) + 1;

/**
 * Fixed-size log-scale histogram: recording is O(1) and allocation-free whatever the traffic
 * (opossum sorts its whole window on every failure), percentiles are within 4%.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;

  record(ms: number): void {
    const value = Math.max(ms, 0);
    const index =
      value <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(value / MIN_MS) / LOG_GROWTH));
    this.counts[index]! += 1;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** The value below which `q` (0..1) of the recordings fall; 0 when empty. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, MIN_MS * GROWTH ** i));
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = 0;
  }
}
