import { randomUUID } from 'node:crypto';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { OAuth2Server } from 'oauth2-mock-server';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client/create-client.js';
import { isIntegrationError } from '../../errors/integration-error.js';
import { authPolicy } from '../../policies/auth-policy.js';
import { abortableSleep, type Clock } from '../../policies/clock.js';
import { MemoryStore } from '../../state/memory-store.js';
import { testPipeline } from '../hmac/test-pipeline.js';
import { oauth2ClientCredentials } from './client-credentials.js';
import type { OAuth2Strategy } from './oauth2-strategy.js';
import { oauth2RefreshToken } from './refresh-token.js';

/** What the OAuth2 server's token endpoint saw and issued. */
interface TokenCall {
  grant: string;
  refreshToken: string | undefined;
  authorization: string | undefined;
  scope: string | undefined;
  accessToken: string | undefined;
  refreshIssued: string | undefined;
}

let server: OAuth2Server;
let api: FakeUpstream;
let calls: TokenCall[];
/** Access tokens the API accepts: issued by the OAuth2 server and not revoked. */
let valid: Set<string>;
let tokenUrl: string;

beforeEach(async () => {
  server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  tokenUrl = `${server.issuer.url}/token`;
  calls = [];
  valid = new Set();
  // Two tokens issued in the same second would otherwise be the same JWT.
  server.service.on('beforeTokenSigning', (token) => {
    token.payload.jti = randomUUID();
  });
  server.service.on('beforeResponse', (res, req) => {
    const body = res.body as Record<string, string | undefined>;
    const sent = req.body as Record<string, string | undefined>;
    if (body.access_token) valid.add(body.access_token);
    calls.push({
      grant: sent.grant_type ?? '',
      refreshToken: sent.refresh_token,
      authorization: req.headers.authorization,
      scope: sent.scope,
      accessToken: body.access_token,
      refreshIssued: body.refresh_token,
    });
  });
  api = await startFakeUpstream();
  api.on('GET', '/data', (req) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    return valid.has(token) ? reply.json(200, { ok: true }) : reply.json(401, { error: 'invalid_token' });
  });
});
afterEach(async () => {
  await api.close();
  await server.stop();
});

function testClock() {
  let offset = 0;
  const clock: Clock = {
    now: () => performance.now(),
    wallNow: () => Date.now() + offset,
    sleep: abortableSleep,
  };
  return { clock, expireAll: () => (offset += 2 * 3_600_000) };
}

const client = (auth: OAuth2Strategy) =>
  createClient({
    name: 'api',
    baseUrl: api.url,
    auth,
    logger: false,
    metricsRegistry: new Registry(),
    retry: false,
  });

const bearerOf = (i: number) => String(api.requests[i]?.headers.authorization);

describe('OAuth2 against a real OAuth2 server (oauth2-mock-server)', () => {
  it('client credentials: one token request, Basic client auth, the issued JWT reaches the API', async () => {
    const auth = oauth2ClientCredentials({
      tokenUrl,
      clientId: 'svc',
      clientSecret: 'svc-secret',
      scopes: ['read'],
    });
    await using api1 = client(auth);
    for (let i = 0; i < 3; i++) expect(await api1.get('/data')).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ grant: 'client_credentials', scope: 'read' });
    expect(calls[0]?.authorization).toBe(`Basic ${Buffer.from('svc:svc-secret').toString('base64')}`);
    expect(bearerOf(2)).toBe(`Bearer ${calls[0]?.accessToken}`);
    expect(calls[0]?.accessToken?.split('.')).toHaveLength(3); // a signed JWT
  });

  it('20 concurrent callers on an expired token: the token endpoint sees exactly ONE refresh', async () => {
    const t = testClock();
    const auth = oauth2ClientCredentials({
      tokenUrl,
      clientId: 'svc',
      clientSecret: 'svc-secret',
      clock: t.clock,
    });
    await using c = client(auth);
    await c.get('/data');
    t.expireAll();
    const results = await Promise.all(Array.from({ length: 20 }, () => c.get('/data')));
    expect(results).toHaveLength(20);
    expect(calls).toHaveLength(2);
    const fresh = `Bearer ${calls[1]?.accessToken}`;
    expect(api.requests.slice(1).every((r) => r.headers.authorization === fresh)).toBe(true);
  });

  it('two strategy instances sharing one store refresh once between them', async () => {
    const t = testClock();
    const store = new MemoryStore();
    const options = { tokenUrl, clientId: 'svc', clientSecret: 'svc-secret', store, clock: t.clock };
    const a = oauth2ClientCredentials(options);
    const b = oauth2ClientCredentials(options);
    const tokens = await Promise.all([a.accessToken(), b.accessToken(), a.accessToken(), b.accessToken()]);
    expect(new Set(tokens).size).toBe(1);
    t.expireAll();
    const again = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).accessToken()));
    expect(new Set(again).size).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('refresh token grant: the rotated refresh token is used next time and handed to onRotate', async () => {
    const t = testClock();
    const rotated: string[] = [];
    const auth = oauth2RefreshToken({
      tokenUrl,
      clientId: 'app',
      clientSecret: 'app-secret',
      refreshToken: 'initial-refresh-token',
      clock: t.clock,
      onRotate: (rt) => {
        rotated.push(rt);
      },
    });
    await auth.accessToken();
    t.expireAll();
    await auth.accessToken();
    expect(calls.map((c) => c.grant)).toEqual(['refresh_token', 'refresh_token']);
    expect(calls[0]?.refreshToken).toBe('initial-refresh-token');
    expect(calls[1]?.refreshToken).toBe(calls[0]?.refreshIssued);
    expect(rotated).toEqual([calls[0]?.refreshIssued, calls[1]?.refreshIssued]);
  });

  it('invalid_grant: the call fails with an auth error, health is expired, the token endpoint is not called again', async () => {
    server.service.once('beforeResponse', (res) => {
      res.body = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
      res.statusCode = 400;
    });
    const auth = oauth2RefreshToken({
      tokenUrl,
      clientId: 'app',
      clientSecret: 'app-secret',
      refreshToken: 'dead-refresh-token',
    });
    await using c = client(auth);
    for (let i = 0; i < 4; i++) {
      const error = await c.get('/data').catch((e: unknown) => e);
      expect(isIntegrationError(error) && error.type).toBe('IntegrationAuthError');
      expect(String((error as Error).message)).toMatch(/invalid_grant|expired/);
    }
    expect(auth.health()).toBe('expired');
    expect(calls).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
  });

  it('a 401 from the API triggers ONE re-authentication and one resend', async () => {
    const auth = oauth2ClientCredentials({ tokenUrl, clientId: 'svc', clientSecret: 'svc-secret' });
    const p = testPipeline({ origin: api.url, auth: authPolicy(auth) });
    try {
      await p.call('GET', '/data');
      valid.clear(); // the provider revoked the token before it expired
      expect((await p.call('GET', '/data')).status).toBe(200);
      expect(calls).toHaveLength(2);
      expect(api.requests.map((r) => r.headers.authorization)).toEqual([
        `Bearer ${calls[0]?.accessToken}`,
        `Bearer ${calls[0]?.accessToken}`,
        `Bearer ${calls[1]?.accessToken}`,
      ]);

      // An API that refuses every token: one re-auth per call, then the 401 is the answer.
      api.on('GET', '/always-401', reply.json(401, { error: 'invalid_token' }));
      const error = await p.call('GET', '/always-401').catch((e: unknown) => e);
      expect(isIntegrationError(error) && error.status).toBe(401);
      expect(api.requestsTo('GET', '/always-401')).toHaveLength(2);
      expect(calls).toHaveLength(3);
    } finally {
      await p.close();
    }
  });
});
