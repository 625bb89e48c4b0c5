import type { BackoffStrategy, Jitter } from './backoff.js';
import type { RetryBudgetOptions } from './retry-budget.js';

/** Seed 001's `RetryConfig` in camelCase and milliseconds, plus the bounds DESIGN.md asks for. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (so `3` means up to 4 attempts). `0` disables retry.
   * @default 3
   */
  maxRetries?: number;
  /** @default 'exponential' */
  strategy?: BackoffStrategy;
  /**
   * First backoff, in ms.
   * @default 1000
   */
  initialDelay?: number;
  /**
   * Largest backoff of our own, in ms.
   * @default 60000
   */
  maxDelay?: number;
  /** @default 2 */
  backoffMultiplier?: number;
  /**
   * `true` is the seed's ±25%; `'full'` (the default) spreads synchronized clients best.
   * @default 'full'
   */
  jitter?: Jitter;
  /** @default [408, 429, 500, 502, 503, 504] */
  retryStatusCodes?: readonly number[];
  /** @default true */
  retryOnTimeout?: boolean;
  /**
   * The longest server-requested wait (`Retry-After`) the client will sleep through, in ms.
   * Above it the call fails at once with `IntegrationRateLimited` carrying the wait, so a queue
   * can reschedule instead of a worker sleeping for an hour.
   * @default 60000
   */
  maxRetryAfter?: number;
  /**
   * Retry POST and PATCH even when they may have reached the server and carry no idempotency
   * key. Off: such a retry can create an issue or charge a card twice.
   * @default false
   */
  retryNonIdempotent?: boolean;
  /**
   * Caps retries per client at a share of recent requests; `false` turns the budget off.
   * @default { ratio: 0.2, minRetriesPerSecond: 1, windowMs: 10000 }
   */
  budget?: Partial<RetryBudgetOptions> | false;
}

export type ResolvedRetryOptions = Required<Omit<RetryOptions, 'budget'>> & {
  budget: RetryBudgetOptions | false;
};

export const RETRY_DEFAULTS: ResolvedRetryOptions = {
  maxRetries: 3,
  strategy: 'exponential',
  initialDelay: 1000,
  maxDelay: 60_000,
  backoffMultiplier: 2,
  jitter: 'full',
  retryStatusCodes: [408, 429, 500, 502, 503, 504],
  retryOnTimeout: true,
  maxRetryAfter: 60_000,
  retryNonIdempotent: false,
  budget: { ratio: 0.2, minRetriesPerSecond: 1, windowMs: 10_000 },
};

/** Merges options over the defaults and checks them, naming the field that is wrong. */
export function resolveRetryOptions(
  options: RetryOptions | false | undefined,
  base: ResolvedRetryOptions = RETRY_DEFAULTS,
): ResolvedRetryOptions {
  if (options === false) return { ...base, maxRetries: 0 };
  const merged: ResolvedRetryOptions = {
    ...base,
    ...stripUndefined(options ?? {}),
    budget:
      options?.budget === false
        ? false
        : ({
            ...(base.budget || RETRY_DEFAULTS.budget),
            ...stripUndefined(options?.budget ?? {}),
          } as RetryBudgetOptions),
  };
  nonNegativeInteger('retry.maxRetries', merged.maxRetries);
  nonNegative('retry.initialDelay', merged.initialDelay);
  nonNegative('retry.maxDelay', merged.maxDelay);
  nonNegative('retry.maxRetryAfter', merged.maxRetryAfter);
  if (!(merged.backoffMultiplier >= 1)) throw new TypeError('retry.backoffMultiplier must be at least 1');
  if (!['exponential', 'linear', 'fixed'].includes(merged.strategy)) {
    throw new TypeError(
      `retry.strategy must be exponential, linear or fixed, got ${String(merged.strategy)}`,
    );
  }
  if (![true, false, 'full', 'decorrelated', 'proportional'].includes(merged.jitter)) {
    throw new TypeError(`retry.jitter must be a boolean, 'full', 'decorrelated' or 'proportional'`);
  }
  if (merged.budget) {
    if (!(merged.budget.ratio >= 0)) throw new TypeError('retry.budget.ratio must be a number >= 0');
    nonNegative('retry.budget.minRetriesPerSecond', merged.budget.minRetriesPerSecond);
    if (!(merged.budget.windowMs > 0)) throw new TypeError('retry.budget.windowMs must be > 0');
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function nonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0))
    throw new TypeError(`${name} must be a number >= 0, got ${value}`);
}

function nonNegativeInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`${name} must be an integer >= 0, got ${value}`);
}
