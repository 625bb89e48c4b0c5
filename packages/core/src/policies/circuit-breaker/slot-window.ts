/** Slots per window, for the in-process ring and the store's per-slot counters alike. */
export const WINDOW_SLOTS = 10;

/**
 * Calls and failures over the last `windowMs`, kept in a fixed ring of time slots with running
 * totals: recording and reading are O(1) whatever the traffic (opossum re-sorts its whole window
 * on every failure). Old slots are cleared lazily when time moves past them.
 */
export class SlotWindow {
  private readonly slotCalls = new Float64Array(WINDOW_SLOTS);
  private readonly slotFailures = new Float64Array(WINDOW_SLOTS);
  private readonly slotMs: number;
  /** Absolute index (`floor(now / slotMs)`) of the newest slot; -1 before the first call. */
  private head = -1;
  private totalCalls = 0;
  private totalFailures = 0;

  constructor(windowMs: number) {
    this.slotMs = windowMs / WINDOW_SLOTS;
  }

  /** Counts one call at `now`. */
  record(now: number, failed: boolean): void {
    const index = this.advance(now);
    this.slotCalls[index]! += 1;
    this.totalCalls += 1;
    if (failed) {
      this.slotFailures[index]! += 1;
      this.totalFailures += 1;
    }
  }

  /** Calls in the window as of the last `record` or `advance`. */
  get calls(): number {
    return this.totalCalls;
  }

  get failures(): number {
    return this.totalFailures;
  }

  /** Moves the window to `now`, dropping slots that fell out of it; returns the ring index of now. */
  advance(now: number): number {
    const absolute = Math.max(0, Math.floor(now / this.slotMs));
    if (absolute > this.head) {
      // Before the first call the ring is empty: nothing to clear.
      const steps = this.head < 0 ? 0 : Math.min(WINDOW_SLOTS, absolute - this.head);
      for (let i = 0; i < steps; i++) {
        const index = (absolute - i) % WINDOW_SLOTS;
        this.totalCalls -= this.slotCalls[index]!;
        this.totalFailures -= this.slotFailures[index]!;
        this.slotCalls[index] = 0;
        this.slotFailures[index] = 0;
      }
      this.head = absolute;
    }
    // A clock that went backwards (it should not: it is monotonic) counts into the newest slot.
    return this.head % WINDOW_SLOTS;
  }

  clear(): void {
    this.slotCalls.fill(0);
    this.slotFailures.fill(0);
    this.totalCalls = 0;
    this.totalFailures = 0;
  }
}
