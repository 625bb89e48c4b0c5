import type { ResponseHeaders } from '../../http/types.js';
import type { PauseDecision } from './pause-decision.js';
import type { RateLimiterOptions, ResolvedRateLimitOptions } from './rate-limit-options.js';
import { TokenBucketLimiter } from './token-bucket-limiter.js';
import type { QuotaReading } from './upstream-signal.js';

/** What {@link RateLimiter.acquire} needs of a call; a `CallContext` fits. */
export interface AcquireContext {
  /** Clock time (ms, `clock.now()`) by which the call must be done. @default Infinity */
  deadlineAt?: number;
  /** Ends the wait at once, rejecting with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** For the error's `integration`. @default the limiter's name */
  integration?: string;
  /** For the error's `operation`. */
  operation?: string;
}

export interface Acquired {
  /** How long the caller waited for its token, in ms (0 when one was there). */
  waitedMs: number;
}

/** What a failed attempt tells the limiter; an `IntegrationError` fits. */
export interface ObservedError {
  status?: number | undefined;
  retryAfterMs?: number | undefined;
}

/** The limiter's state for a status page. */
export interface RateLimitSnapshot {
  name: string;
  capacity: number;
  refillPerSecond: number;
  /** Tokens in the (possibly shared) bucket now; fractional. */
  tokens: number;
  /** Until when every caller is paused, epoch ms on the store's clock; `undefined` when not paused. */
  pausedUntil: number | undefined;
  /** Milliseconds of pause left; 0 when not paused. */
  pausedForMs: number;
  /** Callers of this process waiting for a token now. */
  waiting: number;
  /** 429s in a row seen by this process. */
  consecutiveRateLimited: number;
  /** The last pause this process decided, with when (epoch ms). */
  lastPause: (PauseDecision & { at: number }) | undefined;
  /** The tightest quota the upstream last reported, with when (epoch ms). */
  upstream: (QuotaReading & { observedAt: number }) | undefined;
}

/**
 * A token bucket per integration and credential that callers wait on, and that learns from the
 * upstream's answers. Create one with {@link createRateLimiter}.
 */
export interface RateLimiter {
  readonly name: string;
  /** The store key prefix of this limit. */
  readonly key: string;
  readonly options: ResolvedRateLimitOptions;
  /**
   * Waits for a token, first come first served. Rejects at once with `IntegrationRateLimited`
   * (carrying `retryAfter`) when the wait would pass `deadlineAt`, and with the signal's reason
   * when it aborts.
   */
  acquire(call?: AcquireContext): Promise<Acquired>;
  /**
   * Learns from a response: pauses every caller of this key (in every process sharing the
   * store) when the upstream says it is limited. Returns the pause decided, if any.
   */
  observe(headers: ResponseHeaders, status: number): Promise<PauseDecision | undefined>;
  /**
   * {@link observe} for a failed attempt: the upstream response the error keeps (classify
   * attaches it), else just the error's status and Retry-After.
   */
  observeError(error: ObservedError): Promise<PauseDecision | undefined>;
  snapshot(): Promise<RateLimitSnapshot>;
}

/**
 * Creates a rate limiter. Its state lives in `store` under `key`, so with a Redis store several
 * processes share one bucket and one pause.
 * @example
 * const limiter = createRateLimiter({ name: 'github', maxRequests: 5000, windowSeconds: 3600, store, key: `patchbay:github:${credentialId}:rl` });
 * await limiter.acquire(call);
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return new TokenBucketLimiter(options);
}
