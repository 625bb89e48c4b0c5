import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from './state-store.js';
import { bucketContract, lockContract, pauseContract } from './state-store-coordination.contract.js';

/** How the contract drives a store's time. */
export interface ContractOptions {
  /**
   * Lets `ms` of the store's time pass: advance a fake clock, or really sleep.
   * @default a real sleep (for stores whose clock is real, like Redis)
   */
  wait?: (ms: number) => Promise<void>;
}

/** What a test gets: a fresh store, a key namespace of its own, and the store's time. */
export interface ContractContext {
  store: StateStore;
  /** A random prefix (e.g. `'3f2a9c1b:'`) so tests sharing one database never collide. */
  ns: string;
  wait: (ms: number) => Promise<void>;
  /** Polls `check` (waiting `stepMs` of store time between tries) until true; fails after `maxMs`. */
  eventually: (check: () => Promise<boolean>, maxMs?: number) => Promise<void>;
}

const STEP_MS = 10;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every {@link StateStore} must have, as one vitest suite. Run it once per
 * implementation, so MemoryStore and RedisStore are held to the same tests.
 *
 * @example
 * ```ts
 * let now = Date.UTC(2030, 0, 1);
 * stateStoreContract('MemoryStore', () => new MemoryStore(() => now), {
 *   wait: async (ms) => { now += ms; },
 * });
 * ```
 */
export function stateStoreContract(
  name: string,
  makeStore: () => StateStore | Promise<StateStore>,
  options: ContractOptions = {},
): void {
  const wait = options.wait ?? realSleep;
  const ctx = { wait } as ContractContext;
  ctx.eventually = async (check, maxMs = 5_000) => {
    for (let waited = 0; !(await check()); waited += STEP_MS) {
      if (waited >= maxMs) throw new Error(`condition still false after ${maxMs} ms of store time`);
      await wait(STEP_MS);
    }
  };

  describe(`StateStore contract: ${name}`, () => {
    beforeEach(async () => {
      ctx.store = await makeStore();
      ctx.ns = `${randomUUID().slice(0, 8)}:`;
    });
    afterEach(async () => {
      await ctx.store.deletePrefix(ctx.ns);
      await ctx.store.close();
    });

    valueContract(ctx);
    counterContract(ctx);
    versionContract(ctx);
    lockContract(ctx);
    bucketContract(ctx);
    pauseContract(ctx);
    deletionContract(ctx);
  });
}

function valueContract(ctx: ContractContext): void {
  describe('get / set / delete', () => {
    it('reads undefined for an absent key', async () => {
      expect(await ctx.store.get(`${ctx.ns}missing`)).toBeUndefined();
      expect(await ctx.store.getVersioned(`${ctx.ns}missing`)).toBeUndefined();
    });

    it('round-trips any string, the empty one included', async () => {
      const values = ['', 'plain', '{"json":[1,2]}', 'ünïcødé ✓ 🚀', 'line\nbreak'];
      for (const [i, value] of values.entries()) await ctx.store.set(`${ctx.ns}k${i}:*?[x]`, value);
      for (const [i, value] of values.entries()) {
        expect(await ctx.store.get(`${ctx.ns}k${i}:*?[x]`)).toBe(value);
      }
    });

    it('overwrites, bumping the version each time', async () => {
      const key = `${ctx.ns}k`;
      await ctx.store.set(key, 'a');
      expect(await ctx.store.getVersioned(key)).toEqual({ value: 'a', version: 1 });
      await ctx.store.set(key, 'b');
      expect(await ctx.store.getVersioned(key)).toEqual({ value: 'b', version: 2 });
    });

    it('expires a value after its TTL, not before', async () => {
      const key = `${ctx.ns}k`;
      const before = await ctx.store.now();
      await ctx.store.set(key, 'short', 80);
      await ctx.eventually(async () => (await ctx.store.get(key)) === undefined);
      expect((await ctx.store.now()) - before).toBeGreaterThanOrEqual(72);
      expect(await ctx.store.getVersioned(key)).toBeUndefined();
    });

    it('keeps a value without TTL (or with TTL <= 0), and a plain set clears an earlier TTL', async () => {
      await ctx.store.set(`${ctx.ns}a`, 'was short', 50);
      await ctx.store.set(`${ctx.ns}a`, 'now forever');
      await ctx.store.set(`${ctx.ns}b`, 'zero', 0);
      await ctx.store.set(`${ctx.ns}c`, 'negative', -5);
      await ctx.wait(200);
      expect(await ctx.store.get(`${ctx.ns}a`)).toBe('now forever');
      expect(await ctx.store.get(`${ctx.ns}b`)).toBe('zero');
      expect(await ctx.store.get(`${ctx.ns}c`)).toBe('negative');
    });

    it('deletes a value; versions restart at 1; deleting an absent key is fine', async () => {
      const key = `${ctx.ns}k`;
      await ctx.store.set(key, 'a');
      await ctx.store.set(key, 'b');
      await ctx.store.delete(key);
      await ctx.store.delete(`${ctx.ns}never-set`);
      expect(await ctx.store.get(key)).toBeUndefined();
      await ctx.store.set(key, 'c');
      expect(await ctx.store.getVersioned(key)).toEqual({ value: 'c', version: 1 });
    });
  });
}

function counterContract(ctx: ContractContext): void {
  describe('increment', () => {
    it('starts at 0, adds (negatives too) and is readable as a string', async () => {
      const key = `${ctx.ns}n`;
      expect(await ctx.store.increment(key, 5, 60_000)).toBe(5);
      expect(await ctx.store.increment(key, -2, 60_000)).toBe(3);
      expect(await ctx.store.get(key)).toBe('3');
    });

    it('sets the TTL when it creates the counter; later increments keep it', async () => {
      const key = `${ctx.ns}n`;
      const before = await ctx.store.now();
      await ctx.store.increment(key, 1, 80);
      expect(await ctx.store.increment(key, 1, 600_000)).toBe(2);
      await ctx.eventually(async () => (await ctx.store.get(key)) === undefined, 3_000);
      expect((await ctx.store.now()) - before).toBeGreaterThanOrEqual(72);
      expect(await ctx.store.increment(key, 1, 600_000)).toBe(1);
    });

    it('loses no update under 100 concurrent increments', async () => {
      const key = `${ctx.ns}n`;
      const results = await Promise.all(
        Array.from({ length: 100 }, () => ctx.store.increment(key, 1, 60_000)),
      );
      expect(await ctx.store.get(key)).toBe('100');
      expect(new Set(results).size).toBe(100);
    });
  });
}

function versionContract(ctx: ContractContext): void {
  describe('getVersioned / compareAndSet', () => {
    it('with null writes only when absent, starting at version 1', async () => {
      const key = `${ctx.ns}k`;
      expect(await ctx.store.compareAndSet(key, 'first', null)).toEqual({ ok: true, version: 1 });
      expect(await ctx.store.getVersioned(key)).toEqual({ value: 'first', version: 1 });
      expect(await ctx.store.compareAndSet(key, 'second', null)).toEqual({
        ok: false,
        current: { value: 'first', version: 1 },
      });
      expect(await ctx.store.get(key)).toBe('first');
    });

    it('with a version fails on an absent key, reporting no current value', async () => {
      expect(await ctx.store.compareAndSet(`${ctx.ns}k`, 'x', 1)).toEqual({ ok: false, current: undefined });
      expect(await ctx.store.get(`${ctx.ns}k`)).toBeUndefined();
    });

    it('advances the version on each match and refuses a stale version', async () => {
      const key = `${ctx.ns}k`;
      await ctx.store.compareAndSet(key, 'v1', null);
      expect(await ctx.store.compareAndSet(key, 'v2', 1)).toEqual({ ok: true, version: 2 });
      expect(await ctx.store.compareAndSet(key, 'v3', 2)).toEqual({ ok: true, version: 3 });
      expect(await ctx.store.compareAndSet(key, 'stale', 2)).toEqual({
        ok: false,
        current: { value: 'v3', version: 3 },
      });
    });

    it('lets exactly one of 100 concurrent writers with the same expected version win', async () => {
      const key = `${ctx.ns}k`;
      await ctx.store.compareAndSet(key, 'v1', null);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => ctx.store.compareAndSet(key, `writer-${i}`, 1)),
      );
      const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      const winner = `writer-${winners[0]}`;
      expect(await ctx.store.getVersioned(key)).toEqual({ value: winner, version: 2 });
      for (const result of results) {
        if (!result.ok) expect(result.current).toEqual({ value: winner, version: 2 });
      }
    });

    it('applies its TTL; after expiry the key counts as absent again', async () => {
      const key = `${ctx.ns}k`;
      await ctx.store.compareAndSet(key, 'short', null, 80);
      await ctx.eventually(async () => (await ctx.store.getVersioned(key)) === undefined);
      expect(await ctx.store.compareAndSet(key, 'again', null)).toEqual({ ok: true, version: 1 });
    });
  });
}

function deletionContract(ctx: ContractContext): void {
  describe('deletePrefix / delete / now', () => {
    it('deletes values, counters, locks, buckets and pauses under a prefix, and counts them', async () => {
      const p = `${ctx.ns}p:`;
      const far = (await ctx.store.now()) + 60_000;
      await ctx.store.set(`${p}a`, '1');
      await ctx.store.set(`${p}b`, '2', 60_000);
      await ctx.store.increment(`${p}c`, 1, 60_000);
      await ctx.store.acquireLock(`${p}d`, 60_000);
      await ctx.store.takeTokens(`${p}e`, { capacity: 5, refillPerSecond: 1 });
      await ctx.store.pauseUntil(`${p}f`, far);
      await ctx.store.set(`${ctx.ns}q:a`, 'other prefix');
      await ctx.store.set(`${ctx.ns}p`, 'prefix without its colon');

      expect(await ctx.store.deletePrefix(p)).toBe(6);
      expect(await ctx.store.get(`${p}a`)).toBeUndefined();
      expect(await ctx.store.pausedUntil(`${p}f`)).toBe(0);
      expect((await ctx.store.takeTokens(`${p}e`, { capacity: 5, refillPerSecond: 1 }, 5)).granted).toBe(
        true,
      );
      expect(await ctx.store.get(`${ctx.ns}q:a`)).toBe('other prefix');
      expect(await ctx.store.get(`${ctx.ns}p`)).toBe('prefix without its colon');
      expect(await ctx.store.deletePrefix(`${ctx.ns}nothing:`)).toBe(0);
    });

    it('takes the prefix literally, glob characters included', async () => {
      await ctx.store.set(`${ctx.ns}g*[x]?:a`, '1');
      await ctx.store.set(`${ctx.ns}g*[x]?:b`, '2');
      await ctx.store.set(`${ctx.ns}gZZx!:c`, '3');
      await ctx.store.set(`${ctx.ns}g\\*[x]?:d`, '4');
      expect(await ctx.store.deletePrefix(`${ctx.ns}g*[x]?:`)).toBe(2);
      expect(await ctx.store.get(`${ctx.ns}gZZx!:c`)).toBe('3');
      expect(await ctx.store.get(`${ctx.ns}g\\*[x]?:d`)).toBe('4');
    });

    it('deletes many keys (more than one batch)', async () => {
      const keys = Array.from({ length: 1_200 }, (_, i) => `${ctx.ns}many:${i}`);
      await Promise.all(keys.map((key) => ctx.store.set(key, 'x')));
      expect(await ctx.store.deletePrefix(`${ctx.ns}many:`)).toBe(1_200);
      expect(await ctx.store.get(keys[600]!)).toBeUndefined();
    });

    it('delete removes the value, bucket and pause held at one key', async () => {
      const key = `${ctx.ns}all`;
      const spec = { capacity: 1, refillPerSecond: 0.001 };
      await ctx.store.set(key, 'v');
      await ctx.store.takeTokens(key, spec);
      await ctx.store.pauseUntil(key, (await ctx.store.now()) + 60_000);
      await ctx.store.delete(key);
      expect(await ctx.store.get(key)).toBeUndefined();
      expect(await ctx.store.pausedUntil(key)).toBe(0);
      expect((await ctx.store.takeTokens(key, spec)).granted).toBe(true);
    });

    it('tells the time in whole epoch milliseconds that advance', async () => {
      const first = await ctx.store.now();
      expect(Number.isInteger(first)).toBe(true);
      expect(first).toBeGreaterThan(Date.UTC(2020, 0, 1));
      await ctx.wait(100);
      expect((await ctx.store.now()) - first).toBeGreaterThanOrEqual(90);
    });
  });
}
