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
});
