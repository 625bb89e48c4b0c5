import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  ACQUIRE_LOCK,
  COMPARE_AND_SET,
  INCREMENT,
  PAUSE_UNTIL,
  RELEASE_LOCK,
  SET,
  TAKE_TOKENS,
} from './redis-scripts.js';
import type { BucketSpec, CasResult, StateStore, TakeResult, Versioned } from './state-store.js';

/** How to reach Redis. Give `url` or `client`, not both. */
export interface RedisStoreOptions {
  /**
   * Connection URL; the store opens the connection and closes it in `close()`.
   * @default 'redis://127.0.0.1:6379' (when no `client` is given either)
   * @example 'rediss://:password@cache.internal:6380/2'
   */
  url?: string;
  /** An ioredis client to share. The store never closes it: its owner does. */
  client?: Redis;
  /**
   * Prepended to every Redis key, to share one database between apps or isolate test runs.
   * Applied by the store itself (not ioredis's `keyPrefix`), so SCAN patterns honour it too.
   * @default ''
   * @example 'myapp:'
   */
  keyPrefix?: string;
}

/**
 * Redis key layout, after `keyPrefix`: `v:<key>` entries (hash {value, version}: values,
 * counters, locks), `b:<key>` token buckets (hash {tokens, updatedAt}), `p:<key>` pause marks
 * (string, expiring at the mark). The three spaces mirror MemoryStore's three maps, so one key may
 * hold a value, a bucket and a pause at once and `delete` removes all three.
 */
const SPACES = ['v', 'b', 'p'] as const;
type Space = (typeof SPACES)[number];

/** Keys per SCAN page and per UNLINK in deletePrefix: big enough to be quick, small enough not to block Redis. */
const SCAN_COUNT = 500;

/**
 * The multi-process {@link StateStore} on Redis (ioredis 5). Each operation is one command or one
 * Lua script on one key, so it is atomic across every process sharing the database. Times that
 * must agree between processes (token buckets, `now()`) come from the server's `TIME`.
 *
 * @example
 * ```ts
 * const store = new RedisStore({ url: process.env.REDIS_URL, keyPrefix: 'patchbay:' });
 * const { granted, waitMs } = await store.takeTokens('github:rest', { capacity: 50, refillPerSecond: 10 });
 * await store.close();
 * ```
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly ownsClient: boolean;
  private readonly keyPrefix: string;

  constructor(options: RedisStoreOptions = {}) {
    if (options.client && options.url !== undefined) {
      throw new TypeError('RedisStore: give either url or client, not both');
    }
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379');
    this.keyPrefix = options.keyPrefix ?? '';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.hget(this.k('v', key), 'value')) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await SET.run(this.client, this.k('v', key), value, ttlArg(ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.client.unlink(...SPACES.map((space) => this.k(space, key)));
  }

  async deletePrefix(prefix: string): Promise<number> {
    // SCAN, never KEYS: KEYS blocks the server for the whole keyspace. UNLINK frees memory off-thread.
    const pattern = `${escapeGlob(this.keyPrefix)}[${SPACES.join('')}]:${escapeGlob(prefix)}*`;
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      // SCAN may return a key twice; UNLINK counts only keys that still existed, so none counts twice.
      if (keys.length > 0) removed += await this.client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    return Number(await INCREMENT.run(this.client, this.k('v', key), by, ttlArg(ttlMs)));
  }

  async getVersioned(key: string): Promise<Versioned | undefined> {
    const [value, version] = await this.client.hmget(this.k('v', key), 'value', 'version');
    return toVersioned(value, version);
  }

  async compareAndSet(
    key: string,
    value: string,
    expectedVersion: number | null,
    ttlMs?: number,
  ): Promise<CasResult> {
    const expected = expectedVersion === null ? '' : expectedVersion;
    const reply = (await COMPARE_AND_SET.run(
      this.client,
      this.k('v', key),
      value,
      expected,
      ttlArg(ttlMs),
    )) as [number, string | number | null, string | null];
    if (reply[0] === 1) return { ok: true, version: Number(reply[1]) };
    return { ok: false, current: toVersioned(reply[1] as string | null, reply[2]) };
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const taken = await ACQUIRE_LOCK.run(this.client, this.k('v', key), token, ttlArg(ttlMs));
    return taken === 1 ? token : undefined;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    await RELEASE_LOCK.run(this.client, this.k('v', key), token);
  }

  async takeTokens(key: string, bucket: BucketSpec, count = 1): Promise<TakeResult> {
    const [granted, remaining, waitMs] = (await TAKE_TOKENS.run(
      this.client,
      this.k('b', key),
      bucket.capacity,
      bucket.refillPerSecond,
      count,
    )) as [number, string, string];
    return {
      granted: granted === 1,
      remaining: Number(remaining),
      waitMs: waitMs === 'inf' ? Number.POSITIVE_INFINITY : Number(waitMs),
    };
  }

  async pauseUntil(key: string, untilMs: number): Promise<void> {
    // Rounded up: PXAT wants whole milliseconds, and a pause may end late but never early.
    await PAUSE_UNTIL.run(this.client, this.k('p', key), Math.ceil(untilMs));
  }

  async pausedUntil(key: string): Promise<number> {
    // The key expires at the mark, so a pause in the past reads as absent: 0.
    return Number((await this.client.get(this.k('p', key))) ?? 0);
  }

  async now(): Promise<number> {
    const [seconds, micros] = await this.client.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // Never connected or already gone: nothing to close gracefully.
      this.client.disconnect();
    }
  }

  private k(space: Space, key: string): string {
    return `${this.keyPrefix}${space}:${key}`;
  }
}

/** Whole milliseconds for PX/PEXPIRE; 0 (no expiry) for none, zero or negative, as in MemoryStore. */
function ttlArg(ttlMs: number | undefined): number {
  return ttlMs !== undefined && ttlMs > 0 ? Math.ceil(ttlMs) : 0;
}

function toVersioned(
  value: string | null | undefined,
  version: string | number | null | undefined,
): Versioned | undefined {
  return value === null || value === undefined ? undefined : { value, version: Number(version) };
}

/** Escapes Redis glob metacharacters so a caller's prefix matches literally. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}
