import { randomUUID } from 'node:crypto';
import { requireService } from '@patchbay/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from './redis-store.js';
import { stateStoreContract } from './state-store.contract.js';

// Skips loudly without Redis; fails under CI=true.
const redis = await requireService('redis');
const url = redis.available ? redis.url : '';
// One random prefix per run, so parallel runs and other test files never share a key.
const keyPrefix = `patchbay-test:${randomUUID()}:`;

describe.skipIf(!redis.available)('RedisStore', () => {
  afterAll(async () => {
    const cleaner = new RedisStore({ url, keyPrefix });
    await cleaner.deletePrefix('');
    await cleaner.close();
  });

  stateStoreContract('RedisStore', () => new RedisStore({ url, keyPrefix }));

  it('shares one bucket between two connections, as two processes would', async () => {
    const a = new RedisStore({ url, keyPrefix });
    const b = new RedisStore({ url, keyPrefix });
    try {
      await Promise.all([a.now(), b.now()]); // both connected, so both race from the start
      const spec = { capacity: 30, refillPerSecond: 0.001 };
      const takes = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).takeTokens('shared', spec));
      const results = await Promise.all(takes);
      // Two separate buckets would grant up to 60 (50 takes each); one shared bucket grants 30.
      expect(results.filter((r) => r.granted)).toHaveLength(30);
      expect((await a.takeTokens('shared', spec)).granted).toBe(false);
      expect((await b.takeTokens('shared', spec)).granted).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets exactly one of two connections win a compare-and-set race', async () => {
    const a = new RedisStore({ url, keyPrefix });
    const b = new RedisStore({ url, keyPrefix });
    try {
      await a.compareAndSet('race', 'v1', null);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).compareAndSet('race', `w${i}`, 1)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('uses and leaves open a client it was given; keyPrefix and layout are visible in Redis', async () => {
    const client = new Redis(url);
    try {
      const store = new RedisStore({ client, keyPrefix });
      await store.set('owned', 'v', 60_000);
      await store.takeTokens('owned', { capacity: 2, refillPerSecond: 1 });
      await store.close();
      expect(client.status).toBe('ready');
      expect(await client.hgetall(`${keyPrefix}v:owned`)).toEqual({ value: 'v', version: '1' });
      expect(await client.pttl(`${keyPrefix}v:owned`)).toBeGreaterThan(0);
      // An idle bucket expires once it would be full again (1 token at 1/s, plus a margin).
      const bucketTtl = await client.pttl(`${keyPrefix}b:owned`);
      expect(bucketTtl).toBeGreaterThan(0);
      expect(bucketTtl).toBeLessThanOrEqual(2_000);
    } finally {
      client.disconnect();
    }
  });

  it('recovers when Redis forgets its scripts (SCRIPT FLUSH)', async () => {
    const client = new Redis(url);
    const store = new RedisStore({ client, keyPrefix });
    try {
      await store.set('flushed', 'before');
      await client.script('FLUSH');
      await store.set('flushed', 'after');
      expect(await store.getVersioned('flushed')).toEqual({ value: 'after', version: 2 });
    } finally {
      client.disconnect();
    }
  });

  it('refuses url and client together', () => {
    const client = new Redis(url, { lazyConnect: true });
    expect(() => new RedisStore({ url, client })).toThrow(TypeError);
    client.disconnect();
  });
});
