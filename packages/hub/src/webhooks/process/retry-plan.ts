import { backoffDelay } from '@patchbay/core';

/** How often and how far apart a failing step is retried before its dead letter. */
export interface RetryPlan {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** @default 3 */
  multiplier?: number;
}

/** Processing a received delivery: 5 attempts, 1 s growing ×3 up to 5 minutes. */
export const PROCESSING_RETRY: RetryPlan = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 300_000 };

/** Delivering to a subscriber: 8 attempts, 5 s growing ×3 up to an hour (about 2 h in all). */
export const DELIVERY_RETRY: RetryPlan = { maxAttempts: 8, initialDelayMs: 5_000, maxDelayMs: 3_600_000 };

/**
 * The wait after failed attempt number `attempt` (1 for the first), with full jitter: many
 * deliveries failing at once (a subscriber down) must not come back in lockstep.
 */
export function retryDelay(plan: RetryPlan, attempt: number, random: () => number = Math.random): number {
  return Math.ceil(
    backoffDelay(
      {
        strategy: 'exponential',
        initialDelay: plan.initialDelayMs,
        maxDelay: plan.maxDelayMs,
        backoffMultiplier: plan.multiplier ?? 3,
        jitter: 'full',
      },
      Math.max(0, attempt - 1),
      0,
      random,
    ),
  );
}
