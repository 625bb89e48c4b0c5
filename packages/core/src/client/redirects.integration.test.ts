import { type FakeUpstream, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiKey, bearer } from '../auth/static-auth.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
let other: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
  other = await startFakeUpstream({ host: '127.0.0.2' });
});
afterEach(async () => {
  await up.close();
  await other.close();
});

describe('redirects', () => {
  it('follows a GET redirect on the same origin, keeping credentials', async () => {
    up.on('GET', '/old', { status: 301, headers: { location: '/new' } }).on('GET', '/new', {
      json: { moved: true },
    });
    await using client = createClient({
      name: 'r',
      baseUrl: up.url,
      auth: bearer('tok-1234'),
      logger: false,
      metricsRegistry: false,
    });
    expect(await client.get('/old')).toEqual({ moved: true });
    expect(up.requestsTo('GET', '/new')[0]?.headers.authorization).toBe('Bearer tok-1234');
  });

  it('never sends credentials to another origin', async () => {
    up.on('GET', '/go', { status: 302, headers: { location: `${other.url}/landing?api_key=leak&x=1` } });
    other.on('GET', '/landing', { json: { landed: true } });
    await using client = createClient({
      name: 'r',
      baseUrl: up.url,
      auth: apiKey('key-abcdef', { in: 'header', name: 'X-Api-Key' }),
      defaultHeaders: { authorization: 'Bearer other-secret' },
      logger: false,
      metricsRegistry: false,
    });
    expect(await client.get('/go')).toEqual({ landed: true });
    const [landed] = other.requests;
    expect(landed?.headers['x-api-key']).toBeUndefined();
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.query).toEqual({ x: '1' });
  });

  it('does not follow a redirect for POST', async () => {
    up.on('POST', '/submit', { status: 307, headers: { location: '/elsewhere' } });
    await using client = createClient({ name: 'r', baseUrl: up.url, logger: false, metricsRegistry: false });
    await expect(client.post('/submit', { json: {} })).rejects.toMatchObject({
      type: 'IntegrationPermanentError',
      code: 'REDIRECT_NOT_FOLLOWED',
      status: 307,
    });
    expect(up.requests).toHaveLength(1);
  });

  it('stops after 5 redirects', async () => {
    up.on('GET', '/loop', { status: 302, headers: { location: '/loop' } });
    await using client = createClient({ name: 'r', baseUrl: up.url, logger: false, metricsRegistry: false });
    await expect(client.get('/loop')).rejects.toMatchObject({ code: 'TOO_MANY_REDIRECTS' });
    expect(up.requests).toHaveLength(6);
  });
});
