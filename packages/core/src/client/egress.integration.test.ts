import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oauth2ClientCredentials } from '../auth/oauth2/client-credentials.js';
import type { ClientOptions } from './client-options.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
  up.on('GET', '/meta', reply.json(200, { secret: 'instance-credentials' }));
});
afterEach(async () => {
  await up.close();
});

const port = () => new URL(up.url).port;
const make = (over: Partial<ClientOptions>) =>
  createClient({
    name: 'egress',
    baseUrl: up.url,
    logger: false,
    metricsRegistry: false,
    retry: false,
    ...over,
  });

describe('egress policy (SSRF guard)', () => {
  it('refuses a loopback IP before connecting', async () => {
    await using client = make({ egress: {} });
    await expect(client.get('/meta')).rejects.toMatchObject({
      type: 'IntegrationPermanentError',
      code: 'EGRESS_DENIED',
      requestSent: false,
    });
    expect(up.connections).toBe(0);
  });

  it('refuses a name that resolves to a private address (checked after DNS)', async () => {
    await using client = make({ baseUrl: `http://localhost:${port()}`, egress: {} });
    await expect(client.get('/meta')).rejects.toMatchObject({ code: 'EGRESS_DENIED' });
    expect(up.connections).toBe(0);
  });

  it('refuses a redirect into a private address', async () => {
    const allowedHost = await startFakeUpstream({ host: '127.0.0.2' });
    allowedHost.on('GET', '/go', { status: 302, headers: { location: `${up.url}/meta` } });
    await using client = make({ baseUrl: allowedHost.url, egress: { allow: ['127.0.0.2'] } });
    await expect(client.get('/go')).rejects.toMatchObject({ code: 'EGRESS_DENIED' });
    expect(up.requests).toHaveLength(0);
    await allowedHost.close();
  });

  it('admits allowlisted destinations, and everything when off (the library default)', async () => {
    await using allowed = make({ egress: { allow: ['127.0.0.1/32'] } });
    expect(await allowed.get('/meta')).toEqual({ secret: 'instance-credentials' });
    await using byName = make({ baseUrl: `http://localhost:${port()}`, egress: { allow: ['localhost'] } });
    expect(await byName.get('/meta')).toBeTruthy();
    await using off = make({});
    expect(await off.get('/meta')).toBeTruthy();
  });

  it('holds an OAuth2 token endpoint to the same policy (no SSRF through a configurable token URL)', async () => {
    const api = await startFakeUpstream({ host: '127.0.0.2' });
    api.on('GET', '/x', reply.json(200, {}));
    up.on(
      'POST',
      '/token',
      reply.json(200, { access_token: 'at-1234', token_type: 'Bearer', expires_in: 3600 }),
    );
    await using client = make({
      baseUrl: api.url,
      egress: { allow: ['127.0.0.2'] },
      auth: oauth2ClientCredentials({
        tokenUrl: `${up.url}/token`,
        clientId: 'c',
        clientSecret: 'secret-1234',
      }),
    });
    const error = await client.get('/x').catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/egress/i);
    expect(up.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(0);
    await api.close();
  });
});
