/** How the wait grows between our own retries (a wait the server gave is used as is). */
export type BackoffStrategy = 'exponential' | 'linear' | 'fixed';

/**
 * How our own waits are randomised.
 * - `'full'`: uniform in [0, delay] (AWS's "full jitter"); spreads synchronized clients best.
 * - `'decorrelated'`: uniform in [initialDelay, previous × 3], capped.
 * - `'proportional'` (or `true`): the seed's ±25% around the delay.
 * - `false`: no jitter (loses under contention: every client retries in lockstep).
 */
export type Jitter = boolean | 'full' | 'decorrelated' | 'proportional';

export interface BackoffOptions {
  strategy: BackoffStrategy;
  /** @default 1000 */
  initialDelay: number;
  /** @default 60000 */
  maxDelay: number;
  /** @default 2 */
  backoffMultiplier: number;
  jitter: Jitter;
}

/**
 * The un-jittered delay before retry number `retry` (0 for the first retry), per the seed:
 * exponential `initial × multiplier^retry`, linear `initial × (retry + 1) × multiplier`,
 * fixed `initial`; never above `maxDelay`.
 */
export function baseDelay(options: BackoffOptions, retry: number): number {
  const { strategy, initialDelay, maxDelay, backoffMultiplier } = options;
  const raw =
    strategy === 'exponential'
      ? initialDelay * backoffMultiplier ** retry
      : strategy === 'linear'
        ? initialDelay * (retry + 1) * backoffMultiplier
        : initialDelay;
  return Math.min(maxDelay, raw);
}

/** The delay to wait before retry number `retry`, jittered. `previous` feeds decorrelated jitter. */
export function backoffDelay(
  options: BackoffOptions,
  retry: number,
  previous: number,
  random: () => number = Math.random,
): number {
  const base = baseDelay(options, retry);
  switch (options.jitter) {
    case false:
      return base;
    case 'full':
      return random() * base;
    case 'decorrelated': {
      const upper = Math.max(options.initialDelay, previous * 3);
      return Math.min(options.maxDelay, options.initialDelay + random() * (upper - options.initialDelay));
    }
    default:
      // true or 'proportional': ±25%, still capped.
      return Math.min(options.maxDelay, base * (0.75 + random() * 0.5));
  }
}
