import { type FakeUpstream, rejectionOf, startBlackhole, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationTimeoutError, isIntegrationError } from '../errors/integration-error.js';
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
  createClient({
    name: 'slow',
    baseUrl: up.url,
    logger: false,
    metricsRegistry: false,
    retry: false,
    ...over,
  });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

describe('timeouts, each with its own message', () => {
  it('connect timeout: the handshake never completes', async () => {
    await using hole = await startBlackhole();
    await using client = make({ baseUrl: hole.url, connectTimeout: 300 });
    const error = await failure(client.get('/x'));
    expect(error).toBeInstanceOf(IntegrationTimeoutError);
    expect(error.code).toBe('CONNECT_TIMEOUT');
    expect(error.message).toMatch(/^Connect timed out after 300 ms/);
    expect(error.requestSent).toBe(false);
    expect(error.retryable).toBe(true);
  });

  it('a POST whose connect timed out is retried: it never left', async () => {
    await using hole = await startBlackhole();
    await using client = make({
      baseUrl: hole.url,
      connectTimeout: 200,
      retry: { maxRetries: 1, initialDelay: 10, jitter: false },
    });
    const error = await failure(client.post('/issues', { json: {} }));
    expect(error.code).toBe('CONNECT_TIMEOUT');
    expect(error.attempts).toBe(2);
  });

  it('headers timeout: the server never answers', async () => {
    up.on('GET', '/hang', { delayMs: 5000, json: {} });
    await using client = make({ headersTimeout: 200 });
    const error = await failure(client.get('/hang'));
    expect(error.code).toBe('HEADERS_TIMEOUT');
    expect(error.message).toMatch(/^No response headers within 200 ms/);
  });

  it('body timeout: the body stalls after the headers', async () => {
    up.on('GET', '/stall', { bodyDelayMs: 5000, json: { a: 1 } });
    await using client = make({ bodyTimeout: 200 });
    const error = await failure(client.get('/stall'));
    expect(error.code).toBe('BODY_TIMEOUT');
    expect(error.message).toMatch(/^Response body stalled for 200 ms/);
  });

  it('attempt timeout: a body that trickles forever', async () => {
    up.on('GET', '/trickle', { chunks: { count: 100, intervalMs: 50 } });
    await using client = make({ timeout: 300 });
    const error = await failure(client.get('/trickle'));
    expect(error.code).toBe('ATTEMPT_TIMEOUT');
    expect(error.message).toMatch(/^Attempt timed out after 300 ms/);
  });

  it('total deadline: across attempts and waits', async () => {
    up.on('GET', '/slowish', { delayMs: 250, status: 503 });
    await using client = make({
      retry: { initialDelay: 10, jitter: false, maxRetries: 10 },
      totalTimeout: 600,
    });
    const error = await failure(client.get('/slowish'));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.message).toMatch(/^Deadline of 600 ms exceeded/);
    expect(up.requests.length).toBeGreaterThanOrEqual(2);
    expect(up.requests.length).toBeLessThan(10);
  });
});

describe('response size cap', () => {
  it('refuses a declared oversize body before reading it (1 TiB would never finish)', async () => {
    up.on('GET', '/huge', { bytes: 2 ** 40 });
    await using client = make({ maxResponseBytes: 1024 * 1024 });
    const error = await failure(client.get('/huge'));
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.retryable).toBe(false);
  });

  it('stops reading an undeclared body at the cap', async () => {
    up.on('GET', '/chunked-huge', { bytes: 2 ** 40, omitContentLength: true });
    await using client = make();
    const error = await failure(
      client.requestBytes('GET', '/chunked-huge', { maxResponseBytes: 256 * 1024 }),
    );
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('accepts a body under the cap', async () => {
    up.on('GET', '/ok', { bytes: 100_000, omitContentLength: true });
    await using client = make({ maxResponseBytes: 200_000 });
    expect((await client.requestBytes('GET', '/ok'))?.length).toBe(100_000);
  });
});
