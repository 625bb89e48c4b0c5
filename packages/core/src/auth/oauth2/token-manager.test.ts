import { rejectionOf } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import {
  IntegrationAuthError,
  IntegrationTemporaryError,
  isErrorType,
  isIntegrationError,
} from '../../errors/integration-error.js';
import type { PreparedRequest } from '../../http/types.js';
import type { Clock } from '../../policies/clock.js';
import { Redactor } from '../../redact/redactor.js';
import { MemoryStore } from '../../state/memory-store.js';
import type { StateStore } from '../../state/state-store.js';
import { oauth2Strategy } from './oauth2-strategy.js';
import { SecretSet } from './secret-set.js';
import type { TokenResponse, TokenResult } from './token-endpoint.js';
import { TERMINAL_OAUTH_ERRORS, type TokenFailure } from './token-errors.js';
import { type Grant, TokenManager } from './token-manager.js';
import { fingerprint, parseRecord } from './token-record.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

/** Wall and monotonic time move together; sleeps wait until the test releases them. */
function fakeClock() {
  let offset = 0;
  const sleeping: { ms: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => offset,
    wallNow: () => T0 + offset,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        sleeping.push({ ms, wake });
      }),
  };
  return {
    clock,
    sleeping,
    advance(ms: number) {
      offset += ms;
    },
    /** Ends every pending sleep, advancing time by the longest. */
    wakeAll() {
      const due = sleeping.splice(0);
      offset += Math.max(0, ...due.map((s) => s.ms));
      for (const s of due) s.wake();
      return due.length;
    },
  };
}

type Step = TokenResult | (() => TokenResult | Promise<TokenResult>);

const ok = (accessToken: string, more: Partial<TokenResponse> = {}): TokenResult => ({
  ok: true,
  token: {
    accessToken,
    tokenType: 'Bearer',
    expiresInMs: HOUR,
    refreshToken: undefined,
    scope: undefined,
    ...more,
  },
});

function oauthFailure(code: string): TokenResult {
  const failure: TokenFailure = { error: new IntegrationAuthError(`refused: ${code}`), code };
  const health = TERMINAL_OAUTH_ERRORS[code];
  if (health) failure.health = health;
  return { ok: false, failure };
}

const serverDown = (): TokenResult => ({
  ok: false,
  failure: {
    error: new IntegrationTemporaryError('token endpoint 503', { requestSent: false }),
    code: 'http_503',
  },
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A scripted token endpoint: each request takes the next step; the last one repeats. */
function scriptedGrant(steps: Step[], initialRefreshToken?: string) {
  const used: (string | undefined)[] = [];
  const grant: Grant = {
    credential: fingerprint(initialRefreshToken ?? 'client-secret-1'),
    initialRefreshToken,
    async request(refreshToken) {
      used.push(refreshToken);
      const step = steps[Math.min(used.length - 1, steps.length - 1)] as Step;
      return typeof step === 'function' ? step() : step;
    },
  };
  return { grant, used };
}

function manager(
  grant: Grant,
  store: StateStore,
  clock: Clock,
  over: { lockTtlMs?: number; onRotate?: (t: string) => void } = {},
) {
  const secrets = new SecretSet(['client-secret-1', grant.initialRefreshToken]);
  const m = new TokenManager({
    grant,
    store,
    key: 'patchbay:test:oauth2',
    clock,
    refreshSkewMs: 60_000,
    lockTtlMs: over.lockTtlMs ?? 15_000,
    waitTimeoutMs: 25_000,
    degradedRetryMs: 5_000,
    secrets,
    redactor: new Redactor(),
    onRotate: over.onRotate,
  });
  return { m, secrets };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

describe('TokenManager: caching and single flight', () => {
  it('caches the token until the refresh margin, then refreshes once', async () => {
    const t = fakeClock();
    const { grant, used } = scriptedGrant([ok('tok-a'), ok('tok-b')]);
    const { m } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    expect((await m.obtain()).accessToken).toBe('tok-a');
    t.advance(HOUR - 61_000);
    expect(m.cached()?.accessToken).toBe('tok-a');
    t.advance(2_000); // inside the 60 s margin
    expect(m.cached()).toBeUndefined();
    expect((await m.obtain()).accessToken).toBe('tok-b');
    expect(used).toHaveLength(2);
  });

  it('caps the margin at half the lifetime, so a 30 s token is not refreshed on every call', async () => {
    const t = fakeClock();
    const { grant, used } = scriptedGrant([ok('short', { expiresInMs: 30_000 })]);
    const { m } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    await m.obtain();
    t.advance(14_000);
    expect(m.cached()?.accessToken).toBe('short');
    t.advance(2_000);
    expect(m.cached()).toBeUndefined();
    expect(used).toHaveLength(1);
  });

  it('20 concurrent callers on an expired token share ONE refresh', async () => {
    const t = fakeClock();
    const gate = deferred<TokenResult>();
    const { grant, used } = scriptedGrant([ok('old'), () => gate.promise]);
    const { m } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    await m.obtain();
    t.advance(2 * HOUR);
    const callers = Array.from({ length: 20 }, () => m.obtain());
    await new Promise((r) => setImmediate(r));
    gate.resolve(ok('new'));
    const tokens = (await Promise.all(callers)).map((r) => r.accessToken);
    expect(new Set(tokens)).toEqual(new Set(['new']));
    expect(used).toHaveLength(2);
  });

  it('two instances sharing a store refresh once: the second waits for the lock holder and adopts its token', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    const gate = deferred<TokenResult>();
    const a = scriptedGrant([() => gate.promise]);
    const b = scriptedGrant([ok('from-b')]);
    const first = manager(a.grant, store, t.clock).m.obtain();
    await new Promise((r) => setImmediate(r));
    const second = manager(b.grant, store, t.clock).m.obtain();
    await expect.poll(() => t.sleeping.length).toBe(1); // b found the lock taken and waits
    gate.resolve(ok('from-a'));
    expect((await first).accessToken).toBe('from-a');
    t.wakeAll();
    expect((await second).accessToken).toBe('from-a');
    expect(a.used.length + b.used.length).toBe(1);
  });
});

describe('TokenManager: compare-and-set races', () => {
  it('a slow refresher whose compare-and-set loses adopts the newer token', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    const slow = deferred<TokenResult>();
    const a = scriptedGrant([() => slow.promise]);
    const b = scriptedGrant([ok('fast-token')]);
    const ma = manager(a.grant, store, t.clock, { lockTtlMs: 1_000 }).m;
    const first = ma.obtain();
    await new Promise((r) => setImmediate(r));
    t.advance(1_500); // a's lock expires while its token request hangs
    expect((await manager(b.grant, store, t.clock, { lockTtlMs: 1_000 }).m.obtain()).accessToken).toBe(
      'fast-token',
    );
    slow.resolve(ok('slow-token'));
    expect((await first).accessToken).toBe('fast-token');
    expect(ma.cached()?.accessToken).toBe('fast-token');
    expect(parseRecord(await store.get('patchbay:test:oauth2'))?.accessToken).toBe('fast-token');
  });

  it('invalid_grant from a refresh token made stale by a faster refresher does not retire the credential', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    const slow = deferred<TokenResult>();
    const a = scriptedGrant([() => slow.promise], 'rt-1');
    const b = scriptedGrant([ok('tok-2', { refreshToken: 'rt-2' })], 'rt-1');
    const ma = manager(a.grant, store, t.clock, { lockTtlMs: 1_000 }).m;
    const first = ma.obtain();
    await new Promise((r) => setImmediate(r));
    t.advance(1_500);
    await manager(b.grant, store, t.clock, { lockTtlMs: 1_000 }).m.obtain();
    slow.resolve(oauthFailure('invalid_grant')); // rt-1 was already used by b
    expect((await first).accessToken).toBe('tok-2');
    expect(ma.health()).toBe('healthy');
    expect(a.used).toEqual(['rt-1']);
  });
});

describe('TokenManager: refresh token rotation', () => {
  it('uses the rotated refresh token next time, calls onRotate, and a restart follows the stored chain', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    const rotated: string[] = [];
    const { grant, used } = scriptedGrant(
      [ok('at-1', { refreshToken: 'rt-2' }), ok('at-2', { refreshToken: 'rt-3' }), ok('at-3')],
      'rt-1',
    );
    const { m, secrets } = manager(grant, store, t.clock, { onRotate: (r) => rotated.push(r) });
    await m.obtain();
    t.advance(2 * HOUR);
    await m.obtain();
    expect(used).toEqual(['rt-1', 'rt-2']);
    expect(rotated).toEqual(['rt-2', 'rt-3']);
    expect(secrets.values()).toEqual(expect.arrayContaining(['rt-1', 'rt-2', 'rt-3', 'at-1', 'at-2']));

    // A new process configured with the original rt-1 (or the persisted rt-2) follows the store's chain.
    t.advance(2 * HOUR);
    const restarted = manager(grant, store, t.clock).m;
    expect((await restarted.obtain()).accessToken).toBe('at-3');
    expect(used.at(-1)).toBe('rt-3');
    // The server sent no new refresh token: the chain keeps rt-3.
    expect(parseRecord(await store.get('patchbay:test:oauth2'))?.refreshToken).toBe('rt-3');
  });
});

describe('TokenManager: credential health', () => {
  it('invalid_grant retires the credential: auth error, health expired, no further token calls', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    const { grant, used } = scriptedGrant([oauthFailure('invalid_grant'), ok('never')], 'rt-dead');
    const { m } = manager(grant, store, t.clock);
    const error = await failure(m.obtain());
    expect(isErrorType(error, 'IntegrationAuthError')).toBe(true);
    expect(m.health()).toBe('expired');
    for (let i = 0; i < 5; i++) {
      const again = await failure(m.obtain());
      expect(again.message).toMatch(/expired \(invalid_grant/);
    }
    // Another process with the same credential reads the mark and does not call either.
    const peer = manager(grant, store, t.clock).m;
    expect((await failure(peer.obtain())).type).toBe('IntegrationAuthError');
    expect(peer.health()).toBe('expired');
    expect(used).toHaveLength(1);
    expect(m.status()).toMatchObject({ health: 'expired', error: { code: 'invalid_grant' } });
  });

  it('a reconfigured credential (new refresh token) starts afresh over the expired mark', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    const dead = scriptedGrant([oauthFailure('invalid_grant')], 'rt-dead');
    await failure(manager(dead.grant, store, t.clock).m.obtain());
    const fresh = scriptedGrant([ok('revived')], 'rt-new');
    const m = manager(fresh.grant, store, t.clock).m;
    expect((await m.obtain()).accessToken).toBe('revived');
    expect(m.health()).toBe('healthy');
  });

  it('invalid_client marks the credential revoked', async () => {
    const t = fakeClock();
    const { grant, used } = scriptedGrant([oauthFailure('invalid_client')]);
    const { m } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    await failure(m.obtain());
    await failure(m.obtain());
    expect(m.health()).toBe('revoked');
    expect(used).toHaveLength(1);
  });

  it('a 5xx while the old token still works keeps it (degraded), waits before asking again, then heals', async () => {
    const t = fakeClock();
    const { grant, used } = scriptedGrant([ok('old'), serverDown, ok('healed')]);
    const { m } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    await m.obtain();
    t.advance(HOUR - 30_000); // inside the margin, still valid
    expect((await m.obtain()).accessToken).toBe('old');
    expect(m.health()).toBe('degraded');
    t.advance(1_000);
    expect(m.cached()?.accessToken).toBe('old'); // no new token request within degradedRetryMs
    expect(used).toHaveLength(2);
    t.advance(5_000);
    expect((await m.obtain()).accessToken).toBe('healed');
    expect(m.health()).toBe('healthy');
  });

  it('a 5xx with no usable token fails the call as temporary, request not sent', async () => {
    const t = fakeClock();
    const { grant, used } = scriptedGrant([serverDown]);
    const { m } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    const error = await failure(m.obtain());
    expect(error.type).toBe('IntegrationTemporaryError');
    expect(error.requestSent).toBe(false);
    expect(m.health()).toBe('degraded');
    await failure(m.obtain());
    expect(used).toHaveLength(2); // not terminal: the retry policy paces further attempts
  });
});

describe('TokenManager: waiting and store failures', () => {
  it('gives up waiting for a lock holder after waitTimeoutMs with a temporary error', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    await store.acquireLock('patchbay:test:oauth2:lock', 10 * HOUR); // a holder that never finishes
    const { grant, used } = scriptedGrant([ok('x')]);
    let done = false;
    const pending = failure(manager(grant, store, t.clock).m.obtain()).finally(() => {
      done = true;
    });
    let waits = 0;
    while (!done) {
      await new Promise((r) => setImmediate(r));
      waits += t.wakeAll();
    }
    const error = await pending;
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(waits).toBeGreaterThan(10);
    expect(t.clock.now()).toBeGreaterThanOrEqual(25_000);
    expect(used).toHaveLength(0);
  });

  it('takes over when the lock holder died (its lock expired)', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    await store.acquireLock('patchbay:test:oauth2:lock', 2_000);
    const { grant, used } = scriptedGrant([ok('successor')]);
    const pending = manager(grant, store, t.clock).m.obtain();
    while (used.length === 0) {
      await new Promise((r) => setImmediate(r));
      t.wakeAll();
    }
    expect((await pending).accessToken).toBe('successor');
    expect(t.clock.now()).toBeGreaterThanOrEqual(2_000);
  });

  it('a failing store becomes a temporary error', async () => {
    const t = fakeClock();
    const store = new MemoryStore(t.clock.wallNow);
    store.getVersioned = async () => {
      throw new Error('connection lost');
    };
    const { grant } = scriptedGrant([ok('x')]);
    const error = await failure(manager(grant, store, t.clock).m.obtain());
    expect(error.type).toBe('IntegrationTemporaryError');
    expect(error.message).toMatch(/store \(memory\) failed: connection lost/);
  });
});

describe('OAuth2 strategy over the manager', () => {
  const request = (): PreparedRequest => ({
    method: 'GET',
    origin: 'https://api.example.com',
    path: '/',
    headers: {},
    operation: 'op',
  });

  it('applies synchronously from the cache, and 401 refreshes once; a 401 for a replaced token does not', async () => {
    const t = fakeClock();
    const { grant, used } = scriptedGrant([ok('t1'), ok('t2'), ok('t3')]);
    const { m, secrets } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    const heard: string[] = [];
    const auth = oauth2Strategy('oauth2_client_credentials', m, secrets, () => {});
    auth.onSecret((s) => heard.push(s));
    const first = request();
    await auth.apply(first);
    expect(first.headers.authorization).toBe('Bearer t1');
    expect(heard).toEqual(['t1']); // heard before it was sent
    const second = request();
    expect(auth.apply(second)).toBeUndefined(); // cache hit: no promise
    expect(await auth.onUnauthorized(second)).toBe(true);
    expect(used).toHaveLength(2);
    // A concurrent request that also carried t1 gets its 401 later: t2 is already there.
    expect(await auth.onUnauthorized(first)).toBe(true);
    expect(used).toHaveLength(2);
    const third = request();
    await auth.apply(third);
    expect(third.headers.authorization).toBe('Bearer t2');
    expect(auth.secrets()).toEqual(expect.arrayContaining(['client-secret-1', 't1', 't2']));
  });

  it('onUnauthorized rejects with the token endpoint error when the credential is dead', async () => {
    const t = fakeClock();
    const { grant } = scriptedGrant([ok('t1'), oauthFailure('invalid_grant')], 'rt');
    const { m, secrets } = manager(grant, new MemoryStore(t.clock.wallNow), t.clock);
    const auth = oauth2Strategy('oauth2_refresh_token', m, secrets, () => {});
    const req = request();
    await auth.apply(req);
    const error = await failure(auth.onUnauthorized(req));
    expect(error.message).toMatch(/invalid_grant/);
    expect(auth.health()).toBe('expired');
  });
});
