import { type FakeUpstream, logSink, reply, startFakeUpstream } from '@patchbay/testing';
import { pino } from 'pino';
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

function setup(over: Partial<ClientOptions> = {}) {
  const sink = logSink();
  const registry = new Registry();
  const client = createClient({
    name: 'github',
    baseUrl: up.url,
    logger: pino({ level: 'debug' }, sink),
    metricsRegistry: registry,
    retry: { initialDelay: 50, jitter: false, maxRetries: 2 },
    ...over,
  });
  return { sink, registry, client };
}

describe('logs (seed 000 levels)', () => {
  it('logs success at DEBUG, each retry at WARN with attempt n/N and the wait, the final failure at ERROR', async () => {
    up.on('GET', '/repos/a/b', reply.json(200, { id: 1 }));
    up.on('GET', '/down', reply.serverError(503));
    const { sink, client } = setup();
    await client.get('/repos/a/b');
    await client.get('/down').catch(() => {});
    await client.close();
    const records = sink.records();
    expect(new Set(records.map((r) => r.name))).toEqual(new Set(['patchbay.integration.github']));
    const debug = records.filter((r) => r.level === 20).map((r) => r.msg);
    expect(debug).toContain(`GET ${up.url}/repos/a/b`);
    expect(debug.some((m) => String(m).startsWith(`GET ${up.url}/repos/a/b -> 200 in `))).toBe(true);
    const warns = records.filter((r) => r.level === 40).map((r) => String(r.msg));
    expect(warns).toHaveLength(2);
    expect(warns[0]).toMatch(
      /^Request failed \(attempt 1\/3\): IntegrationTemporaryError: Server error \(HTTP 503\).*Retrying in 0\.05s\.\.\.$/,
    );
    expect(warns[1]).toMatch(/attempt 2\/3.*Retrying in 0\.1s/);
    const errors = records.filter((r) => r.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/^IntegrationTemporaryError: Server error \(HTTP 503\)/);
    expect(errors[0]?.attempts).toBe(3);
  });

  it('puts response bodies in logs only when asked, truncated', async () => {
    up.on('GET', '/body', reply.json(200, { text: 'y'.repeat(2000) }));
    const quiet = setup();
    await quiet.client.get('/body');
    expect(quiet.sink.text()).not.toContain('yyyy');
    const loud = setup({ logResponseBody: true });
    await loud.client.get('/body');
    const logged = loud.sink.records().find((r) => typeof r.body === 'string');
    expect(String(logged?.body).length).toBeLessThanOrEqual(501);
    await quiet.client.close();
    await loud.client.close();
  });

  it('is silent with logger: false', async () => {
    up.on('GET', '/x', reply.serverError(500));
    await using client = createClient({
      name: 's',
      baseUrl: up.url,
      logger: false,
      metricsRegistry: false,
      retry: false,
    });
    await expect(client.get('/x')).rejects.toThrow();
  });
});

describe('metrics', () => {
  it('getMetrics has seed 001 fields plus percentiles; resetMetrics zeroes them', async () => {
    up.on('GET', '/ok', reply.json(200, {}));
    up.on('GET', '/limited', reply.rateLimited({ retryAfter: 0 }), reply.json(200, {}));
    up.on('GET', '/bad', reply.json(404, {}));
    const { client } = setup();
    for (let i = 0; i < 10; i++) await client.get('/ok');
    await client.get('/limited');
    await client.get('/bad').catch(() => {});
    const m = client.getMetrics();
    expect(m).toMatchObject({
      totalRequests: 12,
      successfulRequests: 11,
      failedRequests: 1,
      totalRetries: 1,
      rateLimitHits: 1,
      circuitBreakerOpens: 0,
    });
    expect(m.minResponseTimeMs).toBeGreaterThan(0);
    expect(m.minResponseTimeMs).toBeLessThanOrEqual(m.p50ResponseTimeMs);
    expect(m.p50ResponseTimeMs).toBeLessThanOrEqual(m.p95ResponseTimeMs);
    expect(m.p95ResponseTimeMs).toBeLessThanOrEqual(m.p99ResponseTimeMs);
    expect(m.p99ResponseTimeMs).toBeLessThanOrEqual(m.maxResponseTimeMs);
    expect(m.averageResponseTimeMs).toBeGreaterThan(0);
    client.resetMetrics();
    expect(client.getMetrics()).toMatchObject({
      totalRequests: 0,
      totalRetries: 0,
      p99ResponseTimeMs: 0,
      maxResponseTimeMs: 0,
    });
    await client.close();
  });

  it('exports the same figures to Prometheus, labelled by integration, operation, method and outcome', async () => {
    up.on('GET', '/repos/a/b', reply.json(200, {}));
    up.on('POST', '/issues', reply.json(422, {}));
    up.on('GET', '/flaky', reply.serverError(503), reply.json(200, {}));
    const { client, registry } = setup();
    await client.get('/repos/a/b', { operation: 'get_repository' });
    await client.get('/repos/a/b', { operation: 'get_repository' });
    await client.post('/issues', { operation: 'create_issue', json: {} }).catch(() => {});
    await client.get('/flaky', { operation: 'flaky' });
    await client.close();
    const text = await registry.metrics();
    expect(text).toContain(
      'patchbay_client_requests_total{integration="github",operation="get_repository",method="GET",outcome="success"} 2',
    );
    expect(text).toContain(
      'patchbay_client_requests_total{integration="github",operation="create_issue",method="POST",outcome="permanent_error"} 1',
    );
    expect(text).toContain(
      'patchbay_client_request_duration_seconds_count{integration="github",operation="get_repository",method="GET",outcome="success"} 2',
    );
    expect(text).toContain(
      'patchbay_client_retries_total{integration="github",operation="flaky",method="GET",reason="temporary_error"} 1',
    );
  });
});
