import { setTimeout as sleep } from 'node:timers/promises';
import { type FakeUpstream, rejectionOf, reply, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isIntegrationError } from '../../errors/integration-error.js';
import { abortableSleep, type Clock } from '../../policies/clock.js';
import { MemoryStore } from '../../state/memory-store.js';
import { oauth2ClientCredentials } from './client-credentials.js';
import { oauth2RefreshToken } from './refresh-token.js';
import { parseRecord } from './token-record.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

/** Real time, with a wall clock the test can move forward to expire tokens. */
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
  reply.json(200, { access_token: accessToken, token_type: 'bearer', expires_in: 3600, ...more });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

const tokenCalls = () => up.requestsTo('POST', '/token');
const form = (i: number) => new URLSearchParams(tokenCalls()[i]?.text);

describe('token endpoint requests', () => {
  it('client credentials with HTTP Basic (RFC 6749 form-encoding), scopes, audience, Accept: application/json', async () => {
    up.on('POST', '/token', token('at-1'));
    const auth = oauth2ClientCredentials({
      tokenUrl: `${up.url}/token`,
      clientId: 'my client',
      clientSecret: 'p@ss:w/rd',
      scopes: ['read', 'write'],
      audience: 'https://api.example.com',
    });
    expect(await auth.accessToken()).toBe('at-1');
    const [req] = tokenCalls();
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from('my+client:p%40ss%3Aw%2Frd').toString('base64')}`,
    );
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(form(0))).toEqual({
      grant_type: 'client_credentials',
      scope: 'read write',
      audience: 'https://api.example.com',
    });
  });

  it("clientAuth 'body' sends id and secret in the form; a public client sends only its id", async () => {
    up.on('POST', '/token', token('at-1', { refresh_token: 'rt-2' }));
    const body = oauth2ClientCredentials({
      tokenUrl: `${up.url}/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      clientAuth: 'body',
    });
    await body.accessToken();
    expect(tokenCalls()[0]?.headers.authorization).toBeUndefined();
    expect(form(0).get('client_id')).toBe('cid');
    expect(form(0).get('client_secret')).toBe('csecret');
    const pub = oauth2RefreshToken({ tokenUrl: `${up.url}/token`, clientId: 'spa', refreshToken: 'rt-1' });
    await pub.accessToken();
    expect(Object.fromEntries(form(1))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'spa',
    });
  });

  it('reads expires_in sent as a string', async () => {
    up.on('POST', '/token', token('at-1', { expires_in: '120' }));
    const t = testClock();
    const auth = oauth2ClientCredentials({
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 's3cret',
      clock: t.clock,
    });
    await auth.accessToken();
    const expiresAt = auth.status().expiresAt as number;
    expect(expiresAt - Date.now()).toBeGreaterThan(100_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(120_000);
  });
});

describe('token endpoint errors', () => {
  it('invalid_grant: auth error naming the code, secrets redacted, health expired, never asked again', async () => {
    up.on(
      'POST',
      '/token',
      reply.json(400, { error: 'invalid_grant', error_description: 'refresh token rt-secret-123 revoked' }),
    );
    const auth = oauth2RefreshToken({
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 'client-secret-x',
      refreshToken: 'rt-secret-123',
    });
    const error = await failure(auth.accessToken());
    expect(error.type).toBe('IntegrationAuthError');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('refresh token *** revoked');
    expect(error.message).not.toContain('rt-secret-123');
    expect(auth.health()).toBe('expired');
    for (let i = 0; i < 3; i++) expect((await failure(auth.accessToken())).type).toBe('IntegrationAuthError');
    expect(tokenCalls()).toHaveLength(1);
  });

  it('invalid_client marks the credential revoked', async () => {
    up.on('POST', '/token', reply.json(401, { error: 'invalid_client' }));
    const auth = oauth2ClientCredentials({
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 'wrong-secret',
    });
    expect((await failure(auth.accessToken())).message).toMatch(/invalid_client.*revoked/);
    await failure(auth.accessToken());
    expect(auth.health()).toBe('revoked');
    expect(tokenCalls()).toHaveLength(1);
  });

  it('5xx is temporary (request not sent, so retryable even for POST) and is asked again next time', async () => {
    up.on('POST', '/token', reply.serverError(502), token('at-ok'));
    const auth = oauth2ClientCredentials({
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 's3cret',
    });
    const error = await failure(auth.accessToken());
    expect(error.type).toBe('IntegrationTemporaryError');
    expect(error.retryable).toBe(true);
    expect(error.requestSent).toBe(false);
    expect(auth.health()).toBe('degraded');
    expect(await auth.accessToken()).toBe('at-ok');
    expect(auth.health()).toBe('healthy');
  });

  it('429 carries the Retry-After; a hanging endpoint times out; a 200 without a token is refused', async () => {
    up.on(
      'POST',
      '/token',
      reply.rateLimited({ retryAfter: 7 }),
      { ...token('late'), delayMs: 2_000 },
      reply.json(200, { token: 'x' }),
    );
    const auth = oauth2ClientCredentials({
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 's3cret',
      fetchTimeoutMs: 200,
    });
    const limited = await failure(auth.accessToken());
    expect(limited.type).toBe('IntegrationRateLimited');
    expect(limited.retryAfter).toBe(7);
    const started = performance.now();
    const timeout = await failure(auth.accessToken());
    expect(timeout.type).toBe('IntegrationTimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    const invalid = await failure(auth.accessToken());
    expect(invalid.type).toBe('IntegrationPermanentError');
    expect(invalid.code).toBe('INVALID_RESPONSE');
    expect(tokenCalls()).toHaveLength(3);
  });

  it('a refused connection is a temporary error with requestSent false', async () => {
    const url = `${up.url}/token`;
    await up.close();
    const auth = oauth2ClientCredentials({ tokenUrl: url, clientId: 'c', clientSecret: 's3cret' });
    const error = await failure(auth.accessToken());
    expect(error.type).toBe('IntegrationTemporaryError');
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.requestSent).toBe(false);
  });
});

describe('refresh races and rotation over the wire', () => {
  it('a slow refresher whose lock expired loses the compare-and-set and adopts the newer token', async () => {
    up.on('POST', '/token', { ...token('slow-token'), delayMs: 800 }, token('fast-token'));
    const store = new MemoryStore();
    const key = 'patchbay:test:slow-refresher';
    const options = {
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 's3cret',
      store,
      key,
      lockTtlMs: 150,
    };
    const slow = oauth2ClientCredentials(options);
    const fast = oauth2ClientCredentials(options);
    const slowToken = slow.accessToken();
    await expect.poll(() => tokenCalls().length).toBe(1);
    await sleep(250); // the slow refresher's lock expires
    expect(await fast.accessToken()).toBe('fast-token');
    expect(await slowToken).toBe('fast-token');
    expect(tokenCalls()).toHaveLength(2);
    const stored = await store.getVersioned(key);
    expect(parseRecord(stored?.value)?.accessToken).toBe('fast-token');
    expect(stored?.version).toBe(1);
  });

  it('uses each rotated refresh token next time (a reused one would be refused), and a restart follows the chain', async () => {
    let valid = 'rt-0';
    let issued = 0;
    up.on('POST', '/token', (req) => {
      const sent = new URLSearchParams(req.text).get('refresh_token');
      if (sent !== valid) return reply.json(400, { error: 'invalid_grant', error_description: 'reused' });
      issued++;
      valid = `rt-${issued}`;
      return token(`at-${issued}`, { refresh_token: valid });
    });
    const t = testClock();
    const store = new MemoryStore();
    const rotated: string[] = [];
    const options = {
      tokenUrl: `${up.url}/token`,
      clientId: 'c',
      clientSecret: 's3cret',
      refreshToken: 'rt-0',
      store,
      clock: t.clock,
      onRotate: (rt: string) => {
        rotated.push(rt);
      },
    };
    const auth = oauth2RefreshToken(options);
    for (let i = 1; i <= 3; i++) {
      expect(await auth.accessToken()).toBe(`at-${i}`);
      t.expireAll();
    }
    expect(rotated).toEqual(['rt-1', 'rt-2', 'rt-3']);
    expect(tokenCalls().map((_, i) => form(i).get('refresh_token'))).toEqual(['rt-0', 'rt-1', 'rt-2']);
    expect(auth.secrets()).toEqual(expect.arrayContaining(['s3cret', 'rt-0', 'rt-3', 'at-3']));
    // A process restarted with the configured rt-0 continues from the stored rt-3.
    const restarted = oauth2RefreshToken(options);
    expect(await restarted.accessToken()).toBe('at-4');
    expect(restarted.health()).toBe('healthy');
  });
});
