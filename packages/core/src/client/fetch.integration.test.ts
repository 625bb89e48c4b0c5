import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer } from '../auth/static-auth.js';
import { isIntegrationError } from '../errors/integration-error.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

const make = (baseUrl = up.url) =>
  createClient({
    name: 'sdk',
    baseUrl,
    auth: bearer('sdk-token-123'),
    logger: false,
    metricsRegistry: false,
    retry: { initialDelay: 10, jitter: false, maxRetries: 2 },
  });

describe('client.fetch: a vendor SDK on our pipeline', () => {
  it('adds auth, retries 5xx and returns a standard Response', async () => {
    up.on('GET', '/repos/a/b', reply.serverError(503), reply.json(200, { id: 1 }, { etag: '"v1"' }));
    await using client = make();
    const res = await client.fetch(`${up.url}/repos/a/b?x=1`, {
      headers: { 'x-github-api-version': '2022-11-28' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(await res.json()).toEqual({ id: 1 });
    expect(up.requests).toHaveLength(2);
    expect(up.requests[1]?.headers.authorization).toBe('Bearer sdk-token-123');
    expect(up.requests[1]?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(up.requests[1]?.url).toBe('/repos/a/b?x=1');
    expect(client.getMetrics().totalRetries).toBe(1);
  });

  it('sends request bodies and resolves HTTP errors as Responses the SDK can read', async () => {
    up.on('POST', '/issues', (r) => reply.json(422, { message: 'Validation Failed', got: r.json() }));
    await using client = make();
    const res = await client.fetch(
      new Request(`${up.url}/issues`, { method: 'POST', body: JSON.stringify({ title: '' }) }),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ message: 'Validation Failed', got: { title: '' } });
    const empty = await client.fetch(`${up.url}/none`);
    expect(empty.status).toBe(404);
  });

  it('rejects with a TypeError carrying the typed error when no response came', async () => {
    const gone = await startFakeUpstream();
    const url = gone.url;
    await gone.close();
    await using client = make(url);
    const error = await client.fetch(`${url}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(isIntegrationError((error as TypeError).cause)).toBe(true);
    expect((error as TypeError & { cause: { code: string } }).cause.code).toBe('CONNECTION_REFUSED');
  });

  it('never carries the credential to another origin', async () => {
    await using client = make();
    await expect(client.fetch('http://127.0.0.2:9/steal')).rejects.toThrow(/only reaches/);
    expect(up.requests).toHaveLength(0);
  });
});
