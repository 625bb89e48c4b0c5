import type { StateStore } from '../../state/state-store.js';
import type { Clock } from '../clock.js';

/** Seed 001's `RateLimitConfig`, in camelCase. */
export interface RateLimitOptions {
  /**
   * Requests allowed per window; with `windowSeconds` it sets the steady rate.
   * @default 60
   */
  maxRequests?: number;
  /**
   * The window `maxRequests` is counted over, in seconds. Tokens refill continuously at
   * `maxRequests / windowSeconds` per second, not all at once at the window's end.
   * @default 60
   */
  windowSeconds?: number;
  /**
   * Most requests that may go at once after a quiet spell (the bucket's capacity).
   * @default maxRequests
   * @example
   * { maxRequests: 10, windowSeconds: 1, burstSize: 15 } // 15 at once, then 10 per second
   */
  burstSize?: number;
  /**
   * Obey the upstream's own timing: `Retry-After`, `X-RateLimit-*` and the IETF `RateLimit`
   * headers. When false, only a 429 pauses callers, for our own backoff.
   * @default true
   */
  respectRetryAfter?: boolean;
  /**
   * When a 429 names no time to wait, every caller pauses for one refill interval
   * (`windowSeconds / maxRequests`) × `backoffFactor`^n, n counting 429s in a row (reset by any
   * response below 400), capped at one window.
   * @default 1.5
   */
  backoffFactor?: number;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions extends RateLimitOptions {
  /** The integration's name: the default key, and the `integration` of errors. */
  name: string;
  /**
   * Where the bucket and the pause live. A shared store (Redis) makes several processes
   * share one limit.
   * @default a private MemoryStore on `clock`'s wall time
   */
  store?: StateStore;
  /**
   * The store key of this limit. One limit per integration and credential, since upstreams
   * count per token.
   * @default `patchbay:<name>:default:rl`
   * @example
   * `patchbay:github:${credentialId}:rl`
   */
  key?: string;
  /** @default systemClock */
  clock?: Clock;
}

export interface ResolvedRateLimitOptions {
  maxRequests: number;
  windowSeconds: number;
  burstSize: number;
  respectRetryAfter: boolean;
  backoffFactor: number;
  /** Tokens per second. */
  refillPerSecond: number;
  /** Milliseconds per token at the steady rate. */
  intervalMs: number;
}

/** Applies the seed's defaults and rejects settings under which no request could ever go. */
export function resolveRateLimitOptions(options: RateLimitOptions = {}): ResolvedRateLimitOptions {
  const maxRequests = positive('maxRequests', options.maxRequests ?? 60);
  const windowSeconds = positive('windowSeconds', options.windowSeconds ?? 60);
  const burstSize = options.burstSize ?? maxRequests;
  // takeTokens(1) can never succeed on a bucket smaller than one token.
  if (!(Number.isFinite(burstSize) && burstSize >= 1)) {
    throw new RangeError(`rate limit burstSize must be at least 1, got ${burstSize}`);
  }
  const backoffFactor = options.backoffFactor ?? 1.5;
  if (!(Number.isFinite(backoffFactor) && backoffFactor >= 1)) {
    throw new RangeError(`rate limit backoffFactor must be at least 1, got ${backoffFactor}`);
  }
  const refillPerSecond = maxRequests / windowSeconds;
  return {
    maxRequests,
    windowSeconds,
    burstSize,
    respectRetryAfter: options.respectRetryAfter ?? true,
    backoffFactor,
    refillPerSecond,
    intervalMs: 1000 / refillPerSecond,
  };
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`rate limit ${name} must be a positive number, got ${value}`);
  }
  return value;
}
