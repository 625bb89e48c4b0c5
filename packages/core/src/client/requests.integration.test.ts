import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientOptions } from './client-options.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

const make = (over: Partial<ClientOptions> = {}) =>
  createClient({ name: 'test', baseUrl: up.url, logger: false, metricsRegistry: new Registry(), ...over });

describe('request methods on the wire', () => {
  it('get returns parsed JSON, text, or null for an empty body', async () => {
    up.on('GET', '/json', { json: { id: 7 } })
      .on('GET', '/text', { body: 'plain', headers: { 'content-type': 'text/plain' } })
      .on('GET', '/empty', { status: 204 });
    await using client = make();
    expect(await client.get('/json')).toEqual({ id: 7 });
    expect(await client.get('/text')).toBe('plain');
    expect(await client.get('/empty')).toBeNull();
  });

  it('joins the base path, appends params (arrays repeat, undefined dropped) and merges headers', async () => {
    up.on('GET', '/api/v3/search', { json: [] });
    await using client = make({ baseUrl: `${up.url}/api/v3/`, defaultHeaders: { 'X-Team': 'core' } });
    await client.get('search', {
      params: { q: 'a b', label: ['x', 'y'], skip: undefined, n: 3 },
      headers: { 'X-Trace': 't1' },
    });
    const [req] = up.requestsTo('GET', '/api/v3/search');
    expect(req?.query).toEqual({ q: 'a b', label: ['x', 'y'], n: '3' });
    expect(req?.headers['x-team']).toBe('core');
    expect(req?.headers['x-trace']).toBe('t1');
    expect(req?.headers['user-agent']).toBe('patchbay/0.1');
    expect(req?.headers.accept).toBe('application/json');
  });

  it('sends json, form and raw bodies with the right content type, with every method', async () => {
    up.on('*', '/echo', (r) => ({
      json: { method: r.method, type: r.headers['content-type'], text: r.text },
    }));
    await using client = make();
    expect(await client.post('/echo', { json: { title: 'Bug' } })).toEqual({
      method: 'POST',
      type: 'application/json',
      text: '{"title":"Bug"}',
    });
    expect(await client.put('/echo', { form: { a: '1', b: 'x y' } })).toEqual({
      method: 'PUT',
      type: 'application/x-www-form-urlencoded',
      text: 'a=1&b=x+y',
    });
    expect(await client.patch('/echo', { body: 'raw', headers: { 'content-type': 'text/csv' } })).toEqual({
      method: 'PATCH',
      type: 'text/csv',
      text: 'raw',
    });
    expect(await client.delete('/echo')).toMatchObject({ method: 'DELETE', text: '' });
    await expect(client.post('/echo', { json: {}, body: 'x' })).rejects.toThrow(
      /only one of json, form and body/,
    );
  });

  it('request() gives the whole exchange; requestJson and requestBytes follow seed 000', async () => {
    up.on('GET', '/untyped', { body: '{"a":1}', headers: { 'x-request-id': 'r1' } })
      .on('GET', '/zip', { body: Buffer.from([0x50, 0x4b, 0x03, 0x04]) })
      .on('GET', '/none', { status: 204 });
    await using client = make();
    const res = await client.request('GET', '/untyped');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('r1');
    expect(res.body).toBe('{"a":1}');
    expect(res.attempts).toBe(1);
    expect(res.durationMs).toBeGreaterThan(0);
    expect(await client.requestJson('GET', '/untyped')).toEqual({ a: 1 });
    expect(await client.requestJson('GET', '/none')).toBeNull();
    expect([...((await client.requestBytes('GET', '/zip')) ?? [])]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(await client.requestBytes('GET', '/none')).toBeNull();
  });

  it('refuses an absolute URL on another origin, so credentials cannot be sent elsewhere', async () => {
    await using client = make();
    await expect(client.get('http://127.0.0.2:1/steal')).rejects.toThrow(/not on this client's origin/);
    await expect(client.get('//evil.example/x')).rejects.toThrow(/protocol-relative/);
  });

  it('runs prepareRequest before sending and handleResponse after', async () => {
    up.on('GET', '/hooked', (r) => ({ json: { version: r.query.version, id: r.headers['x-request-id'] } }));
    await using client = make({
      prepareRequest: (req) => {
        req.headers['x-request-id'] = 'req-42';
        req.path += '?version=v2';
      },
      handleResponse: (res) => ({ ...res, body: { wrapped: res.body } }),
    });
    expect(await client.get('/hooked')).toEqual({ wrapped: { version: 'v2', id: 'req-42' } });
  });

  it('healthCheck is true for a 2xx, false otherwise, and never throws', async () => {
    up.on('GET', '/health', { json: { ok: true } });
    await using healthy = make({ healthCheckPath: '/health' });
    expect(await healthy.healthCheck()).toBe(true);
    await using failing = make({ healthCheckPath: '/missing' });
    expect(await failing.healthCheck()).toBe(false);
    await using custom = make({ healthCheck: async (c) => (await c.get<{ ok: boolean }>('/health')).ok });
    expect(await custom.healthCheck()).toBe(true);
  });

  it('validates options, naming the one that is wrong', () => {
    expect(() => make({ timeout: -1 })).toThrow(/timeout must be a number > 0/);
    expect(() => make({ baseUrl: 'ftp://x' })).toThrow(/http or https/);
    expect(() => make({ baseUrl: 'https://user:pw@host' })).toThrow(/must not carry credentials/);
    expect(() => make({ retry: { maxRetries: 1.5 } })).toThrow(/retry.maxRetries/);
    expect(() => make({ retry: { strategy: 'random' as 'fixed' } })).toThrow(/retry.strategy/);
  });
});

describe('connection pool', () => {
  it('reuses keep-alive connections and `await using` closes them', async () => {
    const open = new Set<unknown>();
    const server: Server = createServer((_req, res) => res.end('{}'));
    server.on('connection', (socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    let escaped: ReturnType<typeof make> | undefined;
    {
      await using client = make({ baseUrl: `http://127.0.0.1:${port}` });
      escaped = client;
      for (let i = 0; i < 20; i++) await client.get('/');
      // bare undici opens a second socket early on too; what matters is reuse, not 20 sockets
      expect(open.size).toBeGreaterThan(0);
      expect(open.size).toBeLessThanOrEqual(2);
    }
    await expect.poll(() => open.size).toBe(0);
    await expect(escaped.get('/')).rejects.toThrow(/closed/);
    server.close();
  });
});

describe('close()', () => {
  it('ends calls waiting to retry with their last error instead of retrying into a closed pool', async () => {
    up.on('GET', '/flaky', reply.serverError(503));
    const client = make({ retry: { initialDelay: 5000, jitter: false, maxRetries: 3 } });
    const call = client.get('/flaky').catch((e: unknown) => e);
    await expect.poll(() => up.requests.length).toBe(1);
    await client.close();
    const error = await call;
    expect(error).toMatchObject({ type: 'IntegrationTemporaryError', status: 503 });
    expect(up.requests).toHaveLength(1);
  });
});
