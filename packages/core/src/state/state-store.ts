/**
 * Where the kernel keeps state that several processes must agree on: circuit breaker state,
 * rate-limit buckets and pauses, cached reads, OAuth tokens and refresh locks. One small
 * interface, two implementations: in memory (one process) and Redis (many processes acting
 * as one). Every operation is atomic in both.
 *
 * Keys are namespaced by the caller (`patchbay:<integration>:<purpose>:…`); values are strings
 * (JSON where structured). Times are milliseconds.
 */
export interface StateStore {
  readonly kind: 'memory' | 'redis';

  /** The value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Sets a value, with an optional time to live. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix`; returns how many went. */
  deletePrefix(prefix: string): Promise<number>;

  /**
   * Adds `by` to an integer counter and returns the new value. A counter that did not exist
   * starts at 0 and gets `ttlMs` as its time to live (an existing one keeps its own).
   */
  increment(key: string, by: number, ttlMs: number): Promise<number>;

  /** A value with its version (1 for the first write, +1 on each successful compareAndSet). */
  getVersioned(key: string): Promise<Versioned | undefined>;
  /**
   * Writes `value` only if the stored version is `expectedVersion` (`null`: only if absent).
   * This is how a rotated refresh token is saved without a slow refresher overwriting a newer one.
   */
  compareAndSet(
    key: string,
    value: string,
    expectedVersion: number | null,
    ttlMs?: number,
  ): Promise<CasResult>;

  /** Takes a lock for `ttlMs`; returns its owner token, or `undefined` when someone holds it. */
  acquireLock(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases a lock, only if `token` still owns it. */
  releaseLock(key: string, token: string): Promise<void>;

  /**
   * Token bucket, atomically: refills at `refillPerSecond` up to `capacity`, then takes `count`
   * tokens if there are enough. When there are not, nothing is taken and `waitMs` says how long
   * until there will be. Time is the store's own clock (Redis `TIME` for Redis) so processes
   * with skewed clocks still share one bucket.
   */
  takeTokens(key: string, bucket: BucketSpec, count?: number): Promise<TakeResult>;

  /** Raises a "paused until" mark (epoch ms) to `untilMs`; never lowers it. */
  pauseUntil(key: string, untilMs: number): Promise<void>;
  /** The "paused until" mark (epoch ms), 0 when none. */
  pausedUntil(key: string): Promise<number>;

  /** The store's clock, epoch ms (Redis `TIME` for Redis). */
  now(): Promise<number>;

  /** Releases connections. The store is unusable afterwards. */
  close(): Promise<void>;
}

export interface Versioned {
  value: string;
  version: number;
}

export type CasResult = { ok: true; version: number } | { ok: false; current: Versioned | undefined };

export interface BucketSpec {
  /** Most tokens the bucket holds (the burst size). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export interface TakeResult {
  granted: boolean;
  /** Tokens left after this take. */
  remaining: number;
  /** When not granted: milliseconds until `count` tokens will be there. 0 when granted. */
  waitMs: number;
}
