import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isIntegrationError } from '../../errors/integration-error.js';
import { abortableSleep, type Clock } from '../../policies/clock.js';
import { RedisStore } from '../../state/redis-store.js';
import { oauth2ClientCredentials } from './client-credentials.js';
import { oauth2RefreshToken } from './refresh-token.js';
import { parseRecord } from './token-record.js';

// Skips loudly without Redis; fails under CI=true.
const redis = await requireService('redis');
const url = redis.available ? redis.url : '';
// One random prefix per run, so parallel runs and other test files never share a key.
const keyPrefix = `patchbay-test:${randomUUID()}:`;

let up: FakeUpstream;
let stores: RedisStore[];
beforeEach(async () => {
  up = await startFakeUpstream();
  stores = [];
});
afterEach(async () => {
  await up.close();
  await Promise.all(stores.map((s) => s.close()));
});

/** A separate Redis connection: one per simulated process. */
function processStore(): RedisStore {
  const store = new RedisStore({ url, keyPrefix });
  stores.push(store);
  return store;
}

function testClock() {
  let offset = 0;
  const clock: Clock = {
    now: () => performance.now(),
    wallNow: () => Date.now() + offset,
    sleep: abortableSleep,
  };
  return { clock, expireAll: () => (offset += 24 * 3_600_000) };
}

const token = (accessToken: string, more: Record<string, unknown> = {}) =>
  reply.json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, ...more });
const tokenCalls = () => up.requestsTo('POST', '/token');

describe.skipIf(!redis.available)(
  'OAuth2 token sharing over Redis (two connections as two processes)',
  () => {
    afterAll(async () => {
      const cleaner = new RedisStore({ url, keyPrefix });
      await cleaner.deletePrefix('');
      await cleaner.close();
    });

    it('20 concurrent callers in two processes on an expired token: ONE refresh, one token for all', async () => {
      up.on('POST', '/token', token('at-1'), { ...token('at-2'), delayMs: 150 }, token('at-3'));
      const t = testClock();
      const options = {
        tokenUrl: `${up.url}/token`,
        clientId: 'svc',
        clientSecret: 'svc-secret',
        clock: t.clock,
        key: randomUUID(),
      };
      const a = oauth2ClientCredentials({ ...options, store: processStore() });
      const b = oauth2ClientCredentials({ ...options, store: processStore() });
      expect(await a.accessToken()).toBe('at-1');
      expect(await b.accessToken()).toBe('at-1'); // read from Redis, not requested
      t.expireAll();
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).accessToken()));
      expect(new Set(tokens)).toEqual(new Set(['at-2']));
      expect(tokenCalls()).toHaveLength(2);
    });

    it('a slow refresher whose lock expired loses the compare-and-set in Redis and adopts the newer token', async () => {
      up.on('POST', '/token', { ...token('slow'), delayMs: 800 }, token('fast'));
      const key = randomUUID();
      const options = {
        tokenUrl: `${up.url}/token`,
        clientId: 'svc',
        clientSecret: 'svc-secret',
        key,
        lockTtlMs: 150,
      };
      const slow = oauth2ClientCredentials({ ...options, store: processStore() });
      const fast = oauth2ClientCredentials({ ...options, store: processStore() });
      const slowToken = slow.accessToken();
      await expect.poll(() => tokenCalls().length).toBe(1);
      await sleep(250); // past the slow refresher's lock
      expect(await fast.accessToken()).toBe('fast');
      expect(await slowToken).toBe('fast');
      const stored = await processStore().getVersioned(key);
      expect(parseRecord(stored?.value)?.accessToken).toBe('fast');
      expect(stored?.version).toBe(1); // the slow token was never written
    });

    it('rotation in one process is followed by the other; invalid_grant seen by one retires the credential for both', async () => {
      let valid = 'rt-0';
      let issued = 0;
      let revoked = false;
      up.on('POST', '/token', (req) => {
        const sent = new URLSearchParams(req.text).get('refresh_token');
        if (revoked || sent !== valid) return reply.json(400, { error: 'invalid_grant' });
        issued++;
        valid = `rt-${issued}`;
        return token(`at-${issued}`, { refresh_token: valid });
      });
      const t = testClock();
      const options = {
        tokenUrl: `${up.url}/token`,
        clientId: 'app',
        refreshToken: 'rt-0',
        clock: t.clock,
        key: randomUUID(),
      };
      const a = oauth2RefreshToken({ ...options, store: processStore() });
      const b = oauth2RefreshToken({ ...options, store: processStore() });
      expect(await a.accessToken()).toBe('at-1');
      t.expireAll();
      expect(await b.accessToken()).toBe('at-2'); // b refreshed with a's rotated rt-1, not its configured rt-0
      t.expireAll();
      revoked = true; // the user revoked the app
      const error = await a.accessToken().catch((e: unknown) => e);
      expect(isIntegrationError(error) && error.type).toBe('IntegrationAuthError');
      expect(a.health()).toBe('expired');
      const again = await b.accessToken().catch((e: unknown) => e);
      expect(isIntegrationError(again) && again.message).toMatch(/expired \(invalid_grant/);
      expect(b.health()).toBe('expired');
      expect(tokenCalls().map((r) => new URLSearchParams(r.text).get('refresh_token'))).toEqual([
        'rt-0',
        'rt-1',
        'rt-2',
      ]);
    });
  },
);
