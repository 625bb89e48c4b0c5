import type { Clock } from '../clock.js';

interface Timer {
  due: number;
  seq: number;
  resolve(): void;
}

/**
 * Test support (not exported from the package): a clock whose sleeps are real timers on fake
 * time. Nothing fires until the test calls {@link TestClock.advance}, which runs the due timers
 * in order and lets the awakened code run before moving on. Every sleep is recorded.
 */
export class TestClock implements Clock {
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = [];
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(private readonly wallBase = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return this.wallBase + this.time;
  }

  /** How many sleeps are pending. */
  get pending(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        due: this.time + ms,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Moves time forward by `ms`, firing each due timer at its own time. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const next = this.timers
        .filter((t) => t.due <= target)
        .sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.due;
      next.resolve();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** Lets every pending promise continuation run (the memory store's answers are microtasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
