/** Reconnect backoff bounds. */
export interface ReconnectOptions {
  /** The shortest wait before a reconnect attempt, ms. @default 500 */
  initialDelayMs?: number;
  /** The longest, ms. @default 30000 */
  maxDelayMs?: number;
}

/**
 * Decorrelated-jitter backoff (each wait random between the floor and three times the previous
 * one, capped): hub processes that lost the broker together do not all knock again at the same
 * moment, and the waits still grow. `reset()` after a successful connection.
 */
export function reconnectDelays(
  options: ReconnectOptions = {},
  random: () => number = Math.random,
): { next(): number; reset(): void } {
  const floor = options.initialDelayMs ?? 500;
  const cap = Math.max(floor, options.maxDelayMs ?? 30_000);
  let previous = floor;
  return {
    next() {
      previous = Math.min(cap, floor + random() * (previous * 3 - floor));
      return Math.round(previous);
    },
    reset() {
      previous = floor;
    },
  };
}
