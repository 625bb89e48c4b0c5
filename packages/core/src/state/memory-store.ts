import { randomUUID } from 'node:crypto';
import type { BucketSpec, CasResult, StateStore, TakeResult, Versioned } from './state-store.js';

interface Entry {
  value: string;
  version: number;
  /** Epoch ms; Infinity for no expiry. */
  expiresAt: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * The single-process {@link StateStore}. Operations complete synchronously inside their
 * promise, so each is atomic with respect to every other caller in the process.
 */
export class MemoryStore implements StateStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly pauses = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const version = (this.live(key)?.version ?? 0) + 1;
    this.entries.set(key, { value, version, expiresAt: this.expiry(ttlMs) });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
    this.buckets.delete(key);
    this.pauses.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let removed = 0;
    for (const map of [this.entries, this.buckets, this.pauses] as Map<string, unknown>[]) {
      for (const key of [...map.keys()]) {
        if (key.startsWith(prefix) && map.delete(key)) removed++;
      }
    }
    return removed;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const current = this.live(key);
    const next = (current ? Number(current.value) : 0) + by;
    this.entries.set(key, {
      value: String(next),
      version: (current?.version ?? 0) + 1,
      expiresAt: current ? current.expiresAt : this.expiry(ttlMs),
    });
    return next;
  }

  async getVersioned(key: string): Promise<Versioned | undefined> {
    const entry = this.live(key);
    return entry ? { value: entry.value, version: entry.version } : undefined;
  }

  async compareAndSet(
    key: string,
    value: string,
    expectedVersion: number | null,
    ttlMs?: number,
  ): Promise<CasResult> {
    const entry = this.live(key);
    const currentVersion = entry ? entry.version : null;
    if (currentVersion !== expectedVersion) {
      return { ok: false, current: entry ? { value: entry.value, version: entry.version } : undefined };
    }
    const version = (currentVersion ?? 0) + 1;
    this.entries.set(key, { value, version, expiresAt: this.expiry(ttlMs) });
    return { ok: true, version };
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    if (this.live(key)) return undefined;
    const token = randomUUID();
    this.entries.set(key, { value: token, version: 1, expiresAt: this.expiry(ttlMs) });
    return token;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    if (this.live(key)?.value === token) this.entries.delete(key);
  }

  async takeTokens(key: string, bucket: BucketSpec, count = 1): Promise<TakeResult> {
    return takeFromBucket(this.buckets, key, bucket, count, this.clock());
  }

  async pauseUntil(key: string, untilMs: number): Promise<void> {
    if (untilMs > (this.pauses.get(key) ?? 0)) this.pauses.set(key, untilMs);
  }

  async pausedUntil(key: string): Promise<number> {
    const until = this.pauses.get(key) ?? 0;
    if (until !== 0 && until <= this.clock()) {
      this.pauses.delete(key);
      return 0;
    }
    return until;
  }

  async now(): Promise<number> {
    return this.clock();
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.buckets.clear();
    this.pauses.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): number {
    return ttlMs === undefined || ttlMs <= 0 ? Number.POSITIVE_INFINITY : this.clock() + ttlMs;
  }
}

/**
 * The token-bucket arithmetic, shared in spirit with the Redis Lua script (which must stay
 * equivalent): refill by elapsed time, cap at capacity, take if enough.
 */
export function takeFromBucket(
  buckets: Map<string, Bucket>,
  key: string,
  spec: BucketSpec,
  count: number,
  now: number,
): TakeResult {
  const state = buckets.get(key) ?? { tokens: spec.capacity, updatedAt: now };
  const elapsed = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(spec.capacity, state.tokens + (elapsed * spec.refillPerSecond) / 1000);
  if (tokens >= count) {
    buckets.set(key, { tokens: tokens - count, updatedAt: now });
    return { granted: true, remaining: tokens - count, waitMs: 0 };
  }
  buckets.set(key, { tokens, updatedAt: now });
  const waitMs =
    spec.refillPerSecond > 0
      ? Math.ceil(((count - tokens) * 1000) / spec.refillPerSecond)
      : Number.POSITIVE_INFINITY;
  return { granted: false, remaining: tokens, waitMs };
}
