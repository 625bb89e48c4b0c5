import { type FakeUpstream, rejectionOf, reply, startFakeUpstream } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IntegrationAuthError,
  type IntegrationError,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  isIntegrationError,
} from '../errors/integration-error.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

const make = () =>
  createClient({
    name: 'github',
    baseUrl: up.url,
    logger: false,
    metricsRegistry: new Registry(),
    retry: false,
  });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

describe('error taxonomy (seed 000 mapping table, DESIGN.md wire status)', () => {
  const table: [number, typeof IntegrationError, boolean, number][] = [
    [401, IntegrationAuthError, false, 502],
    [403, IntegrationAuthError, false, 502],
    [429, IntegrationRateLimited, true, 429],
    [400, IntegrationPermanentError, false, 502],
    [404, IntegrationPermanentError, false, 502],
    [422, IntegrationPermanentError, false, 502],
    [408, IntegrationTemporaryError, true, 503],
    [500, IntegrationTemporaryError, true, 503],
    [502, IntegrationTemporaryError, true, 503],
    [503, IntegrationTemporaryError, true, 503],
    [504, IntegrationTemporaryError, true, 503],
  ];
  for (const [status, type, retryable, wire] of table) {
    it(`HTTP ${status} → ${type.name}`, async () => {
      up.on('GET', '/thing', reply.json(status, { message: `status ${status}` }));
      await using client = make();
      const error = await failure(client.get('/thing', { operation: 'get_thing' }));
      expect(error).toBeInstanceOf(type);
      expect(error.retryable).toBe(retryable);
      expect(error.status).toBe(status);
      expect(error.httpStatus).toBe(wire);
      expect(error.integration).toBe('github');
      expect(error.operation).toBe('get_thing');
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain(`status ${status}`);
      expect(error.toJSON()).toMatchObject({ type: error.type, retryable, status, integration: 'github' });
    });
  }

  it('carries retryAfter in seconds on a 429', async () => {
    up.on('GET', '/limited', reply.rateLimited({ retryAfter: 12 }));
    await using client = make();
    const error = await failure(client.get('/limited'));
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error.retryAfter).toBe(12);
    expect(error.toJSON().retryAfter).toBe(12);
  });

  it('truncates the body in the message and on the error to 500 characters', async () => {
    up.on('GET', '/big-error', reply.json(500, { message: 'x'.repeat(5000) }));
    await using client = make();
    const error = await failure(client.get('/big-error'));
    expect(error.body?.length).toBeLessThanOrEqual(501);
    expect(error.message.length).toBeLessThan(700);
  });

  it('maps a refused connection to a temporary error that never reached the server', async () => {
    const closed = await startFakeUpstream();
    const url = closed.url;
    await closed.close();
    await using client = createClient({
      name: 'down',
      baseUrl: url,
      logger: false,
      metricsRegistry: false,
      retry: false,
    });
    const error = await failure(client.get('/x'));
    expect(error).toBeInstanceOf(IntegrationTemporaryError);
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.requestSent).toBe(false);
  });

  it('maps a reset connection to a temporary error', async () => {
    up.on('GET', '/reset', { drop: 'before-headers' }).on('GET', '/cut', {
      drop: 'mid-body',
      json: { a: 'b'.repeat(4000) },
    });
    await using client = make();
    expect((await failure(client.get('/reset'))).code).toBe('CONNECTION_RESET');
    const cut = await failure(client.get('/cut'));
    expect(cut).toBeInstanceOf(IntegrationTemporaryError);
  });

  it('refuses malformed JSON from a 2xx as a permanent invalid response', async () => {
    up.on('GET', '/broken', { malformedJson: true, json: { a: 1, b: [1, 2, 3] } });
    await using client = make();
    const error = await failure(client.get('/broken'));
    expect(error).toBeInstanceOf(IntegrationPermanentError);
    expect(error.code).toBe('INVALID_RESPONSE');
  });

  it('reads a 403 with an exhausted quota or a Retry-After as rate limited, not as bad credentials (GitHub)', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    up.on(
      'GET',
      '/primary',
      reply.json(
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      ),
    )
      .on('GET', '/secondary', reply.json(403, { message: 'secondary rate limit' }, { 'retry-after': '7' }))
      .on(
        'GET',
        '/forbidden',
        reply.json(403, { message: 'Resource not accessible' }, { 'x-ratelimit-remaining': '4999' }),
      );
    await using client = make();
    const primary = await failure(client.get('/primary'));
    expect(primary).toBeInstanceOf(IntegrationRateLimited);
    expect(primary.retryAfter).toBeGreaterThanOrEqual(28);
    expect(primary.retryAfter).toBeLessThanOrEqual(31);
    const secondary = await failure(client.get('/secondary'));
    expect(secondary).toBeInstanceOf(IntegrationRateLimited);
    expect(secondary.retryAfter).toBe(7);
    expect(await failure(client.get('/forbidden'))).toBeInstanceOf(IntegrationAuthError);
  });

  it('refuses a request it cannot build as permanent, sent nowhere, instead of retrying it', async () => {
    await using client = createClient({ name: 'x', baseUrl: up.url, logger: false, metricsRegistry: false });
    const error = await failure(client.get('/x', { headers: { 'x-evil': 'a\r\nInjected: 1' } }));
    expect(error).toBeInstanceOf(IntegrationPermanentError);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.attempts).toBe(1);
    expect(up.requests).toHaveLength(0);
  });

  it('returns a 304 Not Modified to the caller instead of failing', async () => {
    up.on('GET', '/etag', { status: 304, headers: { etag: '"v1"' } });
    await using client = make();
    const res = await client.request('GET', '/etag', { headers: { 'if-none-match': '"v1"' } });
    expect(res.status).toBe(304);
    expect(res.body).toBeNull();
  });
});
