import {
  createIntegration,
  type Integration,
  type IntegrationDefinition,
  isIntegrationError,
} from '@patchbay/core';
import { type FakeUpstream, rejectionOf, reply, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { github } from '../github/index.js';
import { isRestIntegration, rest, restIntegration } from './rest.js';

let up: FakeUpstream;
const live: Integration[] = [];

beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await Promise.all(live.splice(0).map((integration) => integration.close()));
  await up.close();
});

function connect(values: Record<string, unknown>, definition: IntegrationDefinition = rest) {
  const integration = createIntegration(definition as typeof rest, {
    env: {},
    logger: false,
    metricsRegistry: false,
    client: { retry: { maxRetries: 1, initialDelay: 1, maxDelay: 5 } },
    values: { baseUrl: `${up.url}/v2`, ...values },
  });
  live.push(integration);
  return integration;
}

describe('rest connector over real HTTP', () => {
  it('get sends the path under the base path, repeated query names and extra headers, with a bearer token', async () => {
    up.on(
      'GET',
      '/v2/items/42',
      reply.json(200, { id: 42 }, { 'x-total': '1', 'set-cookie': 'session=secret; HttpOnly' }),
    );
    const api = connect({ auth: 'bearer', token: 'tok-123', headers: '{"X-Client":"patchbay"}' });

    const result = await api.call('get', {
      path: '/items/42',
      query: { tag: ['a', 'b'], limit: 5, full: true },
      headers: { 'X-Trace': 't1' },
    });

    expect(result).toMatchObject({ status: 200, body: { id: 42 }, headers: { 'x-total': '1' } });
    expect(result.headers).not.toHaveProperty('set-cookie');
    const [sent] = up.requestsTo('GET', '/v2/items/42');
    expect(sent?.url).toBe('/v2/items/42?tag=a&tag=b&limit=5&full=true');
    expect(sent?.headers.authorization).toBe('Bearer tok-123');
    expect(sent?.headers['x-client']).toBe('patchbay');
    expect(sent?.headers['x-trace']).toBe('t1');
  });

  it('send posts, puts, patches and deletes JSON; a body-less DELETE sends no body', async () => {
    up.on('POST', '/v2/items', (req) => reply.json(201, { created: req.json() }))
      .on('PUT', '/v2/items/1', reply.json(200, { ok: true }))
      .on('PATCH', '/v2/items/1', reply.json(200, { ok: true }))
      .on('DELETE', '/v2/items/1', reply.status(204));
    const api = connect({ auth: 'basic', username: 'ann', password: 'pw' });

    const created = await api.call('send', {
      method: 'POST',
      path: '/items',
      body: { title: 'x', n: [1, 2] },
    });
    expect(created).toMatchObject({ status: 201, body: { created: { title: 'x', n: [1, 2] } } });
    await api.call('send', { method: 'PUT', path: '/items/1', body: [{ op: 'replace', value: 'y' }] });
    await api.call('send', {
      method: 'PATCH',
      path: '/items/1',
      body: { title: 'z' },
      query: { notify: false },
    });
    const deleted = await api.call('send', { method: 'DELETE', path: '/items/1' });
    expect(deleted).toMatchObject({ status: 204, body: null });

    const [post] = up.requestsTo('POST', '/v2/items');
    expect(post?.headers.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(up.requestsTo('PUT', '/v2/items/1')[0]?.json()).toEqual([{ op: 'replace', value: 'y' }]);
    expect(up.requestsTo('PATCH', '/v2/items/1')[0]?.url).toBe('/v2/items/1?notify=false');
    const [del] = up.requestsTo('DELETE', '/v2/items/1');
    expect(del?.body.length).toBe(0);
  });

  it('puts an API key in the header it names, with its prefix, or in the query', async () => {
    up.on('GET', '/v2/me', reply.json(200, {}));
    await connect({ auth: 'api_key', token: 'k-1', apiKeyName: 'X-Auth', apiKeyPrefix: 'Key' }).call('get', {
      path: '/me',
    });
    await connect({ auth: 'api_key', token: 'k-2', apiKeyLocation: 'query', apiKeyName: 'api_key' }).call(
      'get',
      {
        path: '/me',
        query: { q: 'x' },
      },
    );
    const [header, query] = up.requestsTo('GET', '/v2/me');
    expect(header?.headers['x-auth']).toBe('Key k-1');
    expect(query?.query).toEqual({ q: 'x', api_key: 'k-2' });
    expect(query?.headers.authorization).toBeUndefined();
  });

  it('refuses paths that would leave the base path or the host, before any request', async () => {
    const api = connect({});
    for (const path of [
      '//evil.example/x',
      'http://evil.example/x',
      '/a/../admin',
      '/a/%2E%2e/admin',
      '/a?x=1',
      'items',
    ]) {
      const error = await rejectionOf(api.call('get', { path }), isIntegrationError);
      expect(error, path).toMatchObject({
        type: 'IntegrationValidationError',
        issues: [expect.objectContaining({ path: 'path' })],
      });
    }
    expect(up.requests).toHaveLength(0);
  });

  it('refuses per-call credential headers, including the one carrying the API key', async () => {
    const api = connect({ auth: 'api_key', token: 'k', apiKeyName: 'X-Api-Key' });
    const reserved = await rejectionOf(
      api.call('get', { path: '/x', headers: { Authorization: 'Bearer other' } }),
      isIntegrationError,
    );
    expect(reserved).toMatchObject({ type: 'IntegrationValidationError' });
    expect(JSON.stringify(reserved)).toContain('headers.Authorization');
    const key = await rejectionOf(
      api.call('send', { method: 'POST', path: '/x', headers: { 'x-api-key': 'stolen' } }),
      isIntegrationError,
    );
    expect(key).toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'headers.x-api-key' }],
    });
    expect(up.requests).toHaveLength(0);
  });

  it('names the missing credential fields, and refuses credentials as fixed headers', async () => {
    const bearer = await rejectionOf(
      connect({ auth: 'bearer' }).call('get', { path: '/x' }),
      isIntegrationError,
    );
    expect(bearer).toMatchObject({ type: 'IntegrationNotConfigured', issues: [{ path: 'config.token' }] });
    const basic = await rejectionOf(
      connect({ auth: 'basic' }).call('get', { path: '/x' }),
      isIntegrationError,
    );
    expect((basic.issues ?? []).map((i) => i.path).sort()).toEqual(['config.password', 'config.username']);
    const header = await rejectionOf(
      connect({ headers: { authorization: 'Bearer x' } }).call('get', { path: '/x' }),
      isIntegrationError,
    );
    expect(header).toMatchObject({
      type: 'IntegrationNotConfigured',
      issues: [{ path: 'config.headers.authorization' }],
    });
  });

  it('answers upstream failures with the typed errors: 404 permanent, 401 auth, a slow answer a timeout', async () => {
    up.on('GET', '/v2/missing', reply.json(404, { message: 'nope' }))
      .on('GET', '/v2/private', reply.json(401, { message: 'who?' }))
      .on('GET', '/v2/slow', { delayMs: 10_000, json: {} });
    const api = connect({});
    expect(await rejectionOf(api.call('get', { path: '/missing' }), isIntegrationError)).toMatchObject({
      type: 'IntegrationPermanentError',
      status: 404,
      integration: 'rest',
      operation: 'get',
    });
    expect(await rejectionOf(api.call('get', { path: '/private' }), isIntegrationError)).toMatchObject({
      type: 'IntegrationAuthError',
      status: 401,
    });
    const impatient = connect({ timeout: 200 });
    expect(await rejectionOf(impatient.call('get', { path: '/slow' }), isIntegrationError)).toMatchObject({
      type: 'IntegrationTimeoutError',
    });
  });

  it('health: the health path when set, else any answer below 500 to GET / except a refused credential', async () => {
    up.on('GET', '/v2/', reply.json(404, {})).on('GET', '/v2/ping', reply.json(200, { ok: true }));
    expect(await connect({}).healthCheck()).toMatchObject({ status: 'ready' });
    expect(await connect({ healthPath: '/ping' }).healthCheck()).toMatchObject({ status: 'ready' });
    up.on('GET', '/v2/', reply.json(401, {}));
    expect(await connect({}).healthCheck()).toMatchObject({ status: 'error' });
    expect(up.requestsTo('GET', '/v2/ping')).toHaveLength(1);
  });

  it('a named instance reads its own env variables, and every instance is recognised as a REST integration', async () => {
    up.on('GET', '/crm/customers', reply.json(200, []));
    const crmDefinition = restIntegration({ name: 'crm' });
    const crm = createIntegration(crmDefinition, {
      logger: false,
      metricsRegistry: false,
      env: {
        CRM_BASE_URL: `${up.url}/crm`,
        CRM_AUTH: 'bearer',
        CRM_TOKEN: 'crm-t',
        CRM_HEADERS: '{"X-Tenant":"acme"}',
      },
    });
    live.push(crm);
    await crm.call('get', { path: '/customers' });
    const [sent] = up.requestsTo('GET', '/crm/customers');
    expect(sent?.headers).toMatchObject({ authorization: 'Bearer crm-t', 'x-tenant': 'acme' });

    expect(isRestIntegration(rest)).toBe(true);
    expect(isRestIntegration(crmDefinition)).toBe(true);
    const copy = { ...crmDefinition, operations: {} };
    expect(isRestIntegration(copy)).toBe(true);
    expect(isRestIntegration(github as unknown as IntegrationDefinition)).toBe(false);
  });
});
