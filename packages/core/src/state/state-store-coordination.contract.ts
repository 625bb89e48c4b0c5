import { describe, expect, it } from 'vitest';
import type { ContractContext } from './state-store.contract.js';

// The coordination half of the StateStore contract (locks, token buckets, pauses): what several
// processes use to act as one. Run through stateStoreContract, not on its own.

export function lockContract(ctx: ContractContext): void {
  describe('acquireLock / releaseLock', () => {
    it('is exclusive until released, and only its owner can release it', async () => {
      const key = `${ctx.ns}lock`;
      const token = await ctx.store.acquireLock(key, 60_000);
      expect(token).toEqual(expect.any(String));
      expect(await ctx.store.acquireLock(key, 60_000)).toBeUndefined();
      await ctx.store.releaseLock(key, 'not-the-owner');
      expect(await ctx.store.acquireLock(key, 60_000)).toBeUndefined();
      await ctx.store.releaseLock(key, token!);
      const next = await ctx.store.acquireLock(key, 60_000);
      expect(next).toEqual(expect.any(String));
      expect(next).not.toBe(token);
    });

    it('expires, and the stale owner then cannot release its successor', async () => {
      const key = `${ctx.ns}lock`;
      const stale = await ctx.store.acquireLock(key, 80);
      let successor: string | undefined;
      await ctx.eventually(async () => {
        successor = await ctx.store.acquireLock(key, 60_000);
        return successor !== undefined;
      });
      await ctx.store.releaseLock(key, stale!);
      expect(await ctx.store.acquireLock(key, 60_000)).toBeUndefined();
      await ctx.store.releaseLock(key, successor!);
      expect(await ctx.store.acquireLock(key, 60_000)).toEqual(expect.any(String));
    });

    it('goes to exactly one of 50 concurrent callers', async () => {
      const key = `${ctx.ns}lock`;
      const tokens = await Promise.all(Array.from({ length: 50 }, () => ctx.store.acquireLock(key, 60_000)));
      expect(tokens.filter((t) => t !== undefined)).toHaveLength(1);
    });
  });
}

export function bucketContract(ctx: ContractContext): void {
  describe('takeTokens', () => {
    // A slow refill, so the burst tests do not depend on how fast the calls run.
    const slow = { capacity: 5, refillPerSecond: 1 };

    it('grants a full burst, then refuses with the wait until the next token', async () => {
      const key = `${ctx.ns}bucket`;
      const granted = [];
      for (let i = 0; i < 5; i++) granted.push((await ctx.store.takeTokens(key, slow)).granted);
      expect(granted).toEqual([true, true, true, true, true]);
      const refused = await ctx.store.takeTokens(key, slow);
      expect(refused.granted).toBe(false);
      expect(refused.remaining).toBeLessThan(1);
      expect(refused.waitMs).toBeGreaterThan(0);
      expect(refused.waitMs).toBeLessThanOrEqual(1_000);
      expect(refused.waitMs).toBe(Math.ceil((1 - refused.remaining) * 1_000));
    });

    it('takes several at once, and takes nothing when there are not enough', async () => {
      const key = `${ctx.ns}bucket`;
      const first = await ctx.store.takeTokens(key, slow, 3);
      expect(first).toMatchObject({ granted: true, waitMs: 0 });
      expect(first.remaining).toBeCloseTo(2, 1);
      const refused = await ctx.store.takeTokens(key, slow, 3);
      expect(refused.granted).toBe(false);
      expect(refused.remaining).toBeGreaterThanOrEqual(first.remaining);
      expect(refused.waitMs).toBe(Math.ceil((3 - refused.remaining) * 1_000));
      expect((await ctx.store.takeTokens(key, slow, 2)).granted).toBe(true);
    });

    it('refills over time, no sooner than the wait it announced, up to capacity only', async () => {
      const key = `${ctx.ns}bucket`;
      const fast = { capacity: 2, refillPerSecond: 20 };
      await ctx.store.takeTokens(key, fast, 2);
      const refusedAt = await ctx.store.now();
      const refused = await ctx.store.takeTokens(key, fast);
      expect(refused).toMatchObject({ granted: false });
      await ctx.wait(refused.waitMs);
      await ctx.eventually(async () => (await ctx.store.takeTokens(key, fast)).granted);
      expect((await ctx.store.now()) - refusedAt).toBeGreaterThanOrEqual(refused.waitMs - 1);
      await ctx.wait(1_000); // 20 tokens' worth of refill, but the bucket holds 2
      expect(await ctx.store.takeTokens(key, fast, 3)).toMatchObject({ granted: false, remaining: 2 });
    });

    it('never over-grants: 200 concurrent takes on capacity 50 grant exactly 50', async () => {
      const key = `${ctx.ns}bucket`;
      const spec = { capacity: 50, refillPerSecond: 0.001 };
      const results = await Promise.all(Array.from({ length: 200 }, () => ctx.store.takeTokens(key, spec)));
      expect(results.filter((r) => r.granted)).toHaveLength(50);
    });

    it('announces an infinite wait for a bucket that never refills', async () => {
      const key = `${ctx.ns}bucket`;
      const spec = { capacity: 1, refillPerSecond: 0 };
      expect((await ctx.store.takeTokens(key, spec)).granted).toBe(true);
      expect(await ctx.store.takeTokens(key, spec)).toEqual({
        granted: false,
        remaining: 0,
        waitMs: Number.POSITIVE_INFINITY,
      });
    });

    it('keeps one bucket per key', async () => {
      await ctx.store.takeTokens(`${ctx.ns}a`, slow, 5);
      expect((await ctx.store.takeTokens(`${ctx.ns}a`, slow)).granted).toBe(false);
      expect((await ctx.store.takeTokens(`${ctx.ns}b`, slow)).granted).toBe(true);
    });
  });
}

export function pauseContract(ctx: ContractContext): void {
  describe('pauseUntil / pausedUntil', () => {
    it('reads 0 when never paused, and only ever raises the mark', async () => {
      const key = `${ctx.ns}pause`;
      const now = await ctx.store.now();
      expect(await ctx.store.pausedUntil(key)).toBe(0);
      await ctx.store.pauseUntil(key, now + 10_000);
      expect(await ctx.store.pausedUntil(key)).toBe(now + 10_000);
      await ctx.store.pauseUntil(key, now + 5_000);
      expect(await ctx.store.pausedUntil(key)).toBe(now + 10_000);
      await ctx.store.pauseUntil(key, now + 20_000);
      expect(await ctx.store.pausedUntil(key)).toBe(now + 20_000);
    });

    it('keeps the highest of 50 concurrent marks', async () => {
      const key = `${ctx.ns}pause`;
      const now = await ctx.store.now();
      const marks = Array.from({ length: 50 }, (_, i) => now + 10_000 + ((i * 7919) % 50) * 1_000);
      await Promise.all(marks.map((mark) => ctx.store.pauseUntil(key, mark)));
      expect(await ctx.store.pausedUntil(key)).toBe(Math.max(...marks));
    });

    it('reads 0 once the mark has passed, and for a mark already in the past', async () => {
      const key = `${ctx.ns}pause`;
      const now = await ctx.store.now();
      await ctx.store.pauseUntil(`${ctx.ns}past`, now - 1_000);
      expect(await ctx.store.pausedUntil(`${ctx.ns}past`)).toBe(0);
      await ctx.store.pauseUntil(key, now + 80);
      await ctx.eventually(async () => (await ctx.store.pausedUntil(key)) === 0);
      expect(await ctx.store.now()).toBeGreaterThanOrEqual(now + 80);
    });
  });
}
