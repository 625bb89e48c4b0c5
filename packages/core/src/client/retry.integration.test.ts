import { type FakeUpstream, rejectionOf, reply, startFakeUpstream } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationRateLimited, isIntegrationError } from '../errors/integration-error.js';
import type { RetryOptions } from '../policies/retry-options.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

const fast: RetryOptions = { initialDelay: 20, maxDelay: 100, jitter: false };
const make = (retry: RetryOptions | false = fast, baseUrl = up.url) =>
  createClient({ name: 'svc', baseUrl, logger: false, metricsRegistry: new Registry(), retry });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

function gaps(path: string, method = 'GET'): number[] {
  const times = up.requestsTo(method, path).map((r) => r.receivedAt);
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

describe('retry over the wire', () => {
  it('retries 5xx and timeouts until one succeeds', async () => {
    up.on('GET', '/flaky', reply.serverError(503), reply.serverError(502), reply.json(200, { ok: true }));
    await using client = make();
    const res = await client.request('GET', '/flaky');
    expect(res.body).toEqual({ ok: true });
    expect(res.attempts).toBe(3);
    expect(up.requestsTo('GET', '/flaky')).toHaveLength(3);
    expect(client.getMetrics().totalRetries).toBe(2);
  });

  it('stops after maxRetries and reports how many attempts were made', async () => {
    up.on('GET', '/down', reply.serverError(503));
    await using client = make({ ...fast, maxRetries: 2 });
    const error = await failure(client.get('/down'));
    expect(error.attempts).toBe(3);
    expect(up.requestsTo('GET', '/down')).toHaveLength(3);
  });

  it('does not retry auth errors, other 4xx, or 5xx outside retryStatusCodes', async () => {
    up.on('GET', '/401', reply.json(401, {}))
      .on('GET', '/404', reply.json(404, {}))
      .on('GET', '/501', reply.json(501, {}));
    await using client = make();
    for (const path of ['/401', '/404', '/501']) {
      await failure(client.get(path));
      expect(up.requestsTo('GET', path), path).toHaveLength(1);
    }
  });

  it('waits at least the Retry-After seconds the server gave, never less', async () => {
    up.on('GET', '/slow-down', reply.rateLimited({ retryAfter: 1 }), reply.json(200, {}));
    await using client = make();
    await client.get('/slow-down');
    const [gap] = gaps('/slow-down');
    expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it('waits until a Retry-After HTTP-date', async () => {
    let until = 0;
    up.on(
      'GET',
      '/maintenance',
      () => {
        until = (Math.floor(Date.now() / 1000) + 2) * 1000;
        return reply.serverError(503, { 'retry-after': new Date(until).toUTCString() });
      },
      reply.json(200, {}),
    );
    await using client = make();
    await client.get('/maintenance');
    const second = up.requestsTo('GET', '/maintenance')[1];
    expect(second?.receivedAt).toBeGreaterThanOrEqual(until);
  });

  it('fails at once with IntegrationRateLimited when the server asks for longer than the cap', async () => {
    up.on('GET', '/hour', reply.rateLimited({ retryAfter: 3600 })).on(
      'GET',
      '/503-hour',
      reply.serverError(503, { 'retry-after': '3600' }),
    );
    await using client = make({ ...fast, maxRetryAfter: 30_000 });
    const limited = await failure(client.get('/hour'));
    expect(limited).toBeInstanceOf(IntegrationRateLimited);
    expect(limited.retryAfter).toBe(3600);
    const converted = await failure(client.get('/503-hour'));
    expect(converted).toBeInstanceOf(IntegrationRateLimited);
    expect(converted.code).toBe('RETRY_AFTER_TOO_LONG');
    expect(converted.retryAfter).toBe(3600);
    expect(converted.status).toBe(503);
    expect(up.requests).toHaveLength(2);
  });

  it('fails at once when the server wait would pass the call deadline', async () => {
    up.on('GET', '/later', reply.rateLimited({ retryAfter: 5 }));
    await using client = make();
    const error = await failure(client.get('/later', { totalTimeout: 2000 }));
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error.retryAfter).toBe(5);
    expect(up.requests).toHaveLength(1);
  });

  it('an abort ends the backoff wait at once with the caller’s reason', async () => {
    up.on('GET', '/wait', reply.serverError(503, { 'retry-after': '30' }));
    await using client = make();
    const controller = new AbortController();
    const started = Date.now();
    const call = client.get('/wait', { signal: controller.signal });
    await expect.poll(() => up.requests.length).toBe(1);
    controller.abort(new Error('caller gave up'));
    await expect(call).rejects.toThrow('caller gave up');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(up.requests).toHaveLength(1);
  });

  it('does not retry a POST or PATCH that may have reached the server', async () => {
    up.on('POST', '/issues', reply.serverError(503)).on('PATCH', '/issues/1', { drop: 'before-headers' });
    await using client = make();
    const post = await failure(client.post('/issues', { json: { title: 'x' } }));
    expect(post.attempts).toBe(1);
    await failure(client.patch('/issues/1', { json: { title: 'y' } }));
    expect(up.requests).toHaveLength(2);
  });

  it('retries a POST that carries an idempotency key, with the same key every time', async () => {
    up.on('POST', '/charges', reply.serverError(503), reply.json(201, { id: 'ch_1' }));
    await using client = make();
    expect(await client.post('/charges', { json: { amount: 5 }, idempotencyKey: true })).toEqual({
      id: 'ch_1',
    });
    const keys = up.requestsTo('POST', '/charges').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('retries a POST whose connection was refused: it never reached the server', async () => {
    const gone = await startFakeUpstream();
    const url = gone.url;
    await gone.close();
    await using client = make({ ...fast, maxRetries: 2 }, url);
    const error = await failure(client.post('/issues', { json: {} }));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.attempts).toBe(3);
  });

  it('retries PUT and DELETE, which are idempotent', async () => {
    up.on('PUT', '/x', reply.serverError(500), reply.json(200, {})).on(
      'DELETE',
      '/x',
      reply.serverError(500),
      reply.status(204),
    );
    await using client = make();
    await client.put('/x', { json: {} });
    await client.delete('/x');
    expect(up.requests).toHaveLength(4);
  });

  it('spaces retries by the configured backoff (fixed, linear, exponential)', async () => {
    up.on('GET', '/fixed', reply.serverError(503), reply.serverError(503), reply.json(200, {}));
    up.on('GET', '/exp', reply.serverError(503), reply.serverError(503), reply.json(200, {}));
    await using fixed = make({ strategy: 'fixed', initialDelay: 150, jitter: false });
    await fixed.get('/fixed');
    for (const gap of gaps('/fixed')) expect(gap).toBeGreaterThanOrEqual(149);
    await using exponential = make({ strategy: 'exponential', initialDelay: 100, jitter: false });
    await exponential.get('/exp');
    const [first, second] = gaps('/exp');
    expect(first).toBeGreaterThanOrEqual(99);
    expect(second).toBeGreaterThanOrEqual(199);
  });

  it('does not start a backoff that would end after the call deadline', async () => {
    up.on('GET', '/dead', reply.serverError(503));
    await using client = make({ initialDelay: 5000, jitter: false });
    const error = await failure(client.get('/dead', { totalTimeout: 1000 }));
    expect(error.status).toBe(503);
    expect(up.requests).toHaveLength(1);
  });

  it('a retry budget stops a retry storm against a failing upstream', async () => {
    up.on('GET', '/storm', reply.serverError(503));
    await using client = make({
      ...fast,
      initialDelay: 1,
      maxDelay: 1,
      maxRetries: 3,
      budget: { ratio: 0.2, minRetriesPerSecond: 0.1, windowMs: 10_000 },
    });
    for (let i = 0; i < 20; i++) await failure(client.get('/storm'));
    // Without a budget: 20 × 4 = 80 requests. With it: 20 calls + 20% of them + the floor of 1.
    expect(up.requests.length).toBeLessThanOrEqual(20 + 4 + 1);
    expect(client.getMetrics().retryBudgetExhausted).toBeGreaterThan(0);
  });
});
