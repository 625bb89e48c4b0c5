import type { StateStore } from '../../state/state-store.js';
import { WINDOW_SLOTS } from './slot-window.js';
import { type BreakerKeys, FAILURE_UNIT, unpackCounter } from './store-record.js';

export interface SharedWindowDeps {
  store: StateStore;
  keys: BreakerKeys;
  windowMs: number;
  /** Successes are written out at most this often (and whenever the slot changes). */
  flushIntervalMs: number;
  /** Monotonic ms, for the flush interval. */
  now: () => number;
  onStoreError: (error: unknown, during: string) => void;
}

/**
 * The window of a shared breaker: one counter per time slot in the store, holding
 * `calls + failures * FAILURE_UNIT`. Successes are batched locally and written with one
 * `increment` per slot and interval; a failure is written at once, with the batch, and the
 * window's 10 counters are read back in parallel: a fixed cost whatever the traffic.
 */
export class SharedWindow {
  private pendingGen = -1;
  private pendingSlot = -1;
  private pendingCalls = 0;
  private lastFlushAt = 0;
  private readonly slotMs: number;
  /** A counter lives as long as it can still be inside the window. */
  private readonly slotTtl: number;

  constructor(private readonly deps: SharedWindowDeps) {
    this.slotMs = deps.windowMs / WINDOW_SLOTS;
    this.slotTtl = Math.ceil(deps.windowMs + this.slotMs);
  }

  /** Counts a success of generation `gen` at store time `at`; no I/O until the batch is due. */
  success(gen: number, at: number): void {
    const slot = Math.floor(at / this.slotMs);
    if (gen !== this.pendingGen || slot !== this.pendingSlot) {
      void this.flush();
      this.pendingGen = gen;
      this.pendingSlot = slot;
    }
    this.pendingCalls++;
    if (this.deps.now() - this.lastFlushAt >= this.deps.flushIntervalMs) void this.flush();
  }

  /** Counts a failure and returns the window's totals across every process. Throws when the store does. */
  async failure(gen: number, at: number): Promise<{ calls: number; failures: number }> {
    const { store, keys } = this.deps;
    const slot = Math.floor(at / this.slotMs);
    let by = 1 + FAILURE_UNIT;
    if (this.pendingGen === gen && this.pendingSlot === slot) {
      by += this.pendingCalls;
      this.pendingCalls = 0;
    }
    await Promise.all([store.increment(keys.slot(gen, slot), by, this.slotTtl), this.flush()]);
    const counters = await Promise.all(
      Array.from({ length: WINDOW_SLOTS }, (_, i) => store.get(keys.slot(gen, slot - i))),
    );
    let calls = 0;
    let failures = 0;
    for (const value of counters) {
      const counts = unpackCounter(Number(value ?? 0) || 0);
      calls += counts.calls;
      failures += counts.failures;
    }
    return { calls, failures };
  }

  /** Writes out the batched successes; the returned write never rejects (errors are reported). */
  private flush(): Promise<void> | undefined {
    this.lastFlushAt = this.deps.now();
    if (this.pendingCalls === 0) return undefined;
    const key = this.deps.keys.slot(this.pendingGen, this.pendingSlot);
    const by = this.pendingCalls;
    this.pendingCalls = 0;
    return this.deps.store.increment(key, by, this.slotTtl).then(
      () => undefined,
      (error: unknown) => this.deps.onStoreError(error, 'counting successes'),
    );
  }
}
