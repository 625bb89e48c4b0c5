import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oauth2ClientCredentials } from '../auth/oauth2/client-credentials.js';
import { CircuitOpenError, IntegrationTimeoutError } from '../errors/integration-error.js';
import { createClient } from './create-client.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

describe('createClient with a circuit breaker', () => {
  it('opens after the threshold, answers CircuitOpenError without the network, and reports it', async () => {
    up.on('GET', '/down', reply.serverError(503));
    const registry = new Registry();
    await using client = createClient({
      name: 'payments',
      baseUrl: up.url,
      logger: false,
      metricsRegistry: registry,
      retry: { maxRetries: 1, initialDelay: 1, jitter: false },
      circuitBreaker: { failureThreshold: 3, minimumCalls: 3, recoveryTimeout: 60_000 },
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push(
        await client.get('/down', { operation: 'get_status' }).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    expect(outcomes).toEqual([
      ...Array(3).fill('IntegrationTemporaryError'),
      ...Array(5).fill('CircuitOpenError'),
    ]);
    expect(up.requests).toHaveLength(6); // 3 calls × 2 attempts, then nothing
    const open = await client.get('/down').catch((e: unknown) => e);
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open).toMatchObject({
      code: 'CIRCUIT_OPEN',
      requestSent: false,
      httpStatus: 503,
      integration: 'payments',
    });
    expect((open as CircuitOpenError).retryAfter).toBeGreaterThan(50);
    expect(client.getMetrics().circuitBreakerOpens).toBe(1);
    expect(await client.getStatus()).toMatchObject({ circuitBreaker: { state: 'open', opens: 1 } });
    const text = await registry.metrics();
    expect(text).toContain(
      'patchbay_circuit_breaker_transitions_total{integration="payments",to="open",reason="failure_threshold"} 1',
    );
    expect(text).toContain('outcome="circuit_open"');
  });
});

describe('createClient with a rate limit', () => {
  it('one 429 pauses every queued caller until Retry-After, then they proceed', async () => {
    up.on('GET', '/search', reply.rateLimited({ retryAfter: 1 }), reply.json(200, { items: [] }));
    await using client = createClient({
      name: 'github',
      baseUrl: up.url,
      logger: false,
      metricsRegistry: false,
      retry: { maxRetries: 2, initialDelay: 10, jitter: false },
      // One token every 200 ms: the 429 (a loopback round trip) is back long before a second token exists.
      rateLimit: { maxRequests: 5, windowSeconds: 1, burstSize: 1 },
    });
    const calls = Array.from({ length: 10 }, () => client.get('/search'));
    await Promise.all(calls);
    const first = up.requests[0]?.receivedAt as number;
    const early = up.requests.filter((r) => r.receivedAt < first + 1000);
    expect(early).toHaveLength(1);
    expect(up.requests).toHaveLength(11);
    const status = await client.getStatus();
    expect(status.rateLimit?.capacity).toBe(1);
    expect(status.rateLimit?.lastPause?.reason).toBeDefined();
  });
});

describe('createClient with OAuth2', () => {
  it('a slow token refresh ends at the caller’s deadline or abort, not the token endpoint’s timeout', async () => {
    up.on('POST', '/token', {
      delayMs: 3000,
      json: { access_token: 'at-5678', token_type: 'Bearer', expires_in: 3600 },
    });
    up.on('GET', '/x', reply.json(200, {}));
    await using client = createClient({
      name: 'oauth',
      baseUrl: up.url,
      logger: false,
      metricsRegistry: false,
      auth: oauth2ClientCredentials({
        tokenUrl: `${up.url}/token`,
        clientId: 'c',
        clientSecret: 'secret-5678',
      }),
    });
    const late = await client.get('/x', { totalTimeout: 300 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(IntegrationTimeoutError);
    expect(late).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    await expect(client.get('/x', { signal: controller.signal })).rejects.toThrow('user left');
    expect(up.requestsTo('GET', '/x')).toHaveLength(0);
  });
});
