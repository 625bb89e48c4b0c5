import { type FakeUpstream, logSink, type RecordedRequest, startFakeUpstream } from '@patchbay/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStrategy } from '../auth/auth-strategy.js';
import { type HmacSigner, hmacSigner } from '../auth/hmac/hmac-signer.js';
import { oauth2ClientCredentials } from '../auth/oauth2/client-credentials.js';
import { apiKey, basic, bearer, customAuth } from '../auth/static-auth.js';
import { isIntegrationError } from '../errors/integration-error.js';
import { createClient } from './create-client.js';

/** One secret value used for every credential, so one search finds any leak. */
const CANARY = 'CANARY-7f3a9c-do-not-leak';
const BASIC_B64 = Buffer.from(`octocat:${CANARY}`).toString('base64');

/** An upstream that echoes every credential it receives back in its bodies, as bad APIs do. */
function echo(status: number, extra: Record<string, string> = {}) {
  return (req: RecordedRequest) => ({
    status,
    headers: { ...extra, 'x-echo-auth': String(req.headers.authorization ?? '') },
    json: {
      message: `rejected credentials ${String(req.headers.authorization)} key=${String(req.headers['x-api-key'])}`,
      url: req.url,
      query: req.query,
      body: req.text,
    },
  });
}

let up: FakeUpstream;
beforeAll(async () => {
  up = await startFakeUpstream();
  up.on('*', '/ok', echo(200))
    .on('*', '/401', echo(401))
    .on('*', '/403', echo(403))
    .on('*', '/404', echo(404))
    .on('*', '/422', echo(422))
    .on('*', '/429', echo(429, { 'retry-after': '0' }))
    .on('*', '/500', echo(500))
    .on('*', '/503', echo(503))
    .on('*', '/hang', { delayMs: 3000, json: {} })
    .on('*', '/stall', { bodyDelayMs: 3000, json: {} })
    .on('*', '/huge', { bytes: 10_000_000 })
    .on('*', '/broken', { malformedJson: true, json: { token: CANARY } })
    .on('*', '/reset', { drop: 'before-headers' })
    .on('*', '/redirect', { status: 302, headers: { location: `/ok?token=${CANARY}` } })
    .on('*', '/post-redirect', { status: 307, headers: { location: `/ok?token=${CANARY}` } })
    .on('POST', '/oauth/token', () => ({
      json: { access_token: `${CANARY}-access`, token_type: 'Bearer', expires_in: 3600 },
    }));
});
afterAll(async () => {
  await up.close();
});

const strategies: [string, () => { auth: AuthStrategy; sign?: HmacSigner }][] = [
  ['bearer token', () => ({ auth: bearer(CANARY) })],
  ['basic password', () => ({ auth: basic('octocat', CANARY) })],
  ['API key header', () => ({ auth: apiKey(CANARY, { name: 'X-Api-Key' }) })],
  ['API key query', () => ({ auth: apiKey(CANARY, { in: 'query', name: 'api_key' }) })],
  ['API key body', () => ({ auth: apiKey(CANARY, { in: 'body', name: 'secret_field' }) })],
  [
    'custom header and secret query parameter',
    () => ({ auth: customAuth({ headers: { 'X-Tenant-Token': CANARY }, params: { sig: CANARY } }) }),
  ],
  [
    'OAuth2 client secret and the access token it yields',
    () => ({
      auth: oauth2ClientCredentials({
        tokenUrl: `${up.url}/oauth/token`,
        clientId: 'app',
        clientSecret: CANARY,
      }),
    }),
  ],
  ['HMAC signing secret', () => ({ auth: bearer(`${CANARY}-b`), sign: hmacSigner({ secret: CANARY }) })],
];

describe('canary: no credential ever leaks', () => {
  for (const [label, auth] of strategies) {
    it(`${label}: not in logs, errors, error JSON or metric labels`, async () => {
      const sink = logSink();
      const registry = new Registry();
      const seen: string[] = [];
      await using client = createClient({
        name: 'canary',
        baseUrl: up.url,
        ...auth(),
        logger: pino({ level: 'trace' }, sink),
        metricsRegistry: registry,
        logResponseBody: true,
        timeout: 400,
        maxResponseBytes: 1000,
        retry: { maxRetries: 1, initialDelay: 1, jitter: false },
      });
      const paths = [
        '/ok',
        '/401',
        '/403',
        '/404',
        '/422',
        '/429',
        '/500',
        '/503',
        '/hang',
        '/stall',
        '/huge',
        '/broken',
        '/reset',
        '/redirect',
      ];
      for (const path of paths) {
        for (const run of [
          () => client.get(path, { operation: 'probe' }),
          () =>
            client.post(path === '/redirect' ? '/post-redirect' : path, {
              json: { note: 'hello' },
              idempotencyKey: true,
            }),
        ]) {
          try {
            await run();
          } catch (error) {
            expect(isIntegrationError(error), `${path}: ${String(error)}`).toBe(true);
            if (isIntegrationError(error)) {
              seen.push(error.message, String(error), error.stack ?? '', JSON.stringify(error.toJSON()));
              seen.push(JSON.stringify({ url: error.url, body: error.body }));
            }
          }
        }
      }
      const logs = sink.text();
      expect(sink.lines.length).toBeGreaterThan(20);
      expect(logs).toContain('***'); // the echoes were there, and were hidden
      const metrics = await registry.metrics();
      for (const [where, text] of [
        ['logs', logs],
        ['errors', seen.join('\n')],
        ['metrics', metrics],
      ] as const) {
        expect(text, where).not.toContain(CANARY);
        expect(text, where).not.toContain(encodeURIComponent(CANARY));
        expect(text, where).not.toContain(BASIC_B64);
      }
      // The upstream did receive the credential: the test would be hollow otherwise.
      const sent = label === 'basic password' ? BASIC_B64 : label.startsWith('HMAC') ? `${CANARY}-b` : CANARY;
      expect(JSON.stringify(up.requests.map((r) => [r.headers, r.url, r.text]))).toContain(sent);
    });
  }
});
