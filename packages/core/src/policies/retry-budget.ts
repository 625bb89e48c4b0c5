import type { Clock } from './clock.js';

export interface RetryBudgetOptions {
  /**
   * Retries allowed as a share of the requests seen in the window.
   * @default 0.2
   */
  ratio: number;
  /**
   * Retries allowed per second whatever the traffic, so a quiet client can still retry.
   * @default 1
   */
  minRetriesPerSecond: number;
  /**
   * Length of the sliding window.
   * @default 10000
   */
  windowMs: number;
}

const SLOTS = 10;

/**
 * Caps retries at `ratio` of recent requests plus a floor (Finagle/Envoy style), so a failing
 * upstream sees at most ~1.2× its normal traffic instead of a retry storm. Counts live in a
 * fixed ring of time slots: O(1) per request, same cost at any traffic.
 */
export class RetryBudget {
  private readonly requests = new Float64Array(SLOTS);
  private readonly retries = new Float64Array(SLOTS);
  private readonly slotMs: number;
  private currentSlot = -1;

  constructor(
    private readonly options: RetryBudgetOptions,
    private readonly clock: Clock,
  ) {
    this.slotMs = options.windowMs / SLOTS;
  }

  /** Records a first attempt. */
  recordRequest(): void {
    this.requests[this.advance()]! += 1;
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(): boolean {
    const slot = this.advance();
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < SLOTS; i++) {
      requests += this.requests[i]!;
      retries += this.retries[i]!;
    }
    const floor = (this.options.minRetriesPerSecond * this.options.windowMs) / 1000;
    if (retries >= floor + this.options.ratio * requests) return false;
    this.retries[slot]! += 1;
    return true;
  }

  private advance(): number {
    const absolute = Math.floor(this.clock.now() / this.slotMs);
    if (this.currentSlot === -1) this.currentSlot = absolute;
    // Clear every slot we skipped over (at most the whole ring).
    const steps = Math.min(SLOTS, absolute - this.currentSlot);
    for (let i = 1; i <= steps; i++) {
      const idx = (absolute - steps + i) % SLOTS;
      this.requests[idx] = 0;
      this.retries[idx] = 0;
    }
    if (absolute > this.currentSlot) this.currentSlot = absolute;
    return absolute % SLOTS;
  }
}
