import { describe, expect, it } from 'vitest';
import type { PreparedRequest } from '../http/types.js';
import { authFromConfig } from './auth-config.js';
import { apiKey, basic, bearer, customAuth, noAuth } from './static-auth.js';

const request = (over: Partial<PreparedRequest> = {}): PreparedRequest => ({
  method: 'POST',
  origin: 'https://api.example.com',
  path: '/v1/items?page=2',
  headers: {},
  operation: 'op',
  ...over,
});

describe('static auth strategies (seed 001)', () => {
  it('bearer and basic set Authorization and name their secrets', () => {
    const r = request();
    bearer('tok-123').apply(r);
    expect(r.headers.authorization).toBe('Bearer tok-123');
    const b = basic('user', 'pa:ss');
    b.apply(r);
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
    expect(b.secrets()).toContain('pa:ss');
  });

  it('apiKey goes in a header (with prefix), the query or the body', () => {
    const h = request();
    apiKey('k-1', { name: 'Authorization', prefix: 'ApiKey' }).apply(h);
    expect(h.headers.authorization).toBe('ApiKey k-1');
    const q = request();
    apiKey('k 2', { in: 'query' }).apply(q);
    expect(q.path).toBe('/v1/items?page=2&api_key=k+2');
    const j = request({ json: { a: 1 } });
    apiKey('k-3', { in: 'body', name: 'key' }).apply(j);
    expect(j.json).toEqual({ a: 1, key: 'k-3' });
    const f = request({ form: new URLSearchParams({ a: '1' }) });
    apiKey('k-4', { in: 'body' }).apply(f);
    expect(f.form?.toString()).toBe('a=1&api_key=k-4');
    expect(() => apiKey('k', { in: 'body' }).apply(request({ json: [1] }))).toThrow(/JSON object or form/);
  });

  it('custom auth adds headers and params; none adds nothing', () => {
    const r = request();
    const c = customAuth({ headers: { 'X-Tenant-ID': 't-1' }, params: { sig: 's-1' } });
    c.apply(r);
    expect(r.headers['x-tenant-id']).toBe('t-1');
    expect(r.path).toContain('sig=s-1');
    expect(c.credentialHeaders).toEqual(['x-tenant-id']);
    const n = request();
    noAuth().apply(n);
    expect(n).toEqual(request());
  });

  it('refuses an empty credential with a message that says where to look', () => {
    expect(() => bearer('')).toThrow(/bearer token is empty/);
    expect(() => apiKey(undefined as unknown as string)).toThrow(/API key is empty/);
  });

  it('authFromConfig builds the strategy a seed AuthConfig describes', () => {
    const r = request();
    authFromConfig({ type: 'api_key', token: 'abc1', tokenKey: 'X-Key' }).apply(r);
    expect(r.headers['x-key']).toBe('abc1');
    expect(authFromConfig({ type: 'api_key', token: 'abc1' }).credentialHeaders).toEqual(['authorization']);
    expect(authFromConfig({ type: 'bearer', token: 't' }).kind).toBe('bearer');
    expect(authFromConfig({ type: 'custom', customParams: { k: 'v' } }).credentialParams).toEqual(['k']);
    expect(authFromConfig({ type: 'none' }).kind).toBe('none');
  });
});
