import { type FakeUpstream, logSink, reply, startFakeUpstream } from '@patchbay/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { bearer } from '../auth/static-auth.js';
import {
  IntegrationDisabled,
  IntegrationNotConfigured,
  IntegrationValidationError,
} from '../errors/integration-error.js';
import { MemoryStore } from '../state/memory-store.js';
import { defineIntegration, defineOperation } from './define.js';
import { createIntegration } from './integration.js';
import { IntegrationRegistry } from './registry.js';
import { secret } from './secret.js';

const Repo = z.object({ full_name: z.string(), stargazers_count: z.number() });

const demo = defineIntegration({
  name: 'demo',
  config: z.object({ token: secret(), baseUrl: z.string().url() }),
  env: { token: 'DEMO_TOKEN', baseUrl: 'DEMO_API_URL' },
  auth: (c) => bearer(c.token),
  policies: { retry: false },
  health: (ctx) => ctx.http.get('/rate_limit'),
  operations: {
    get_repository: defineOperation({
      description: 'Get a repository',
      input: z.object({ owner: z.string().min(1), repo: z.string().min(1) }),
      output: Repo,
      kind: 'read',
      cache: { ttl: 60 },
      run: (ctx, { owner, repo }) => ctx.http.get(`/repos/${owner}/${repo}`),
    }),
    create_issue: defineOperation({
      description: 'Create an issue',
      input: z.object({ title: z.string().min(1), labels: z.array(z.string()).default([]) }),
      kind: 'write',
      run: (ctx, input) => ctx.http.post('/issues', { json: input }),
    }),
  },
});

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

const env = () => ({ DEMO_TOKEN: 'tok-demo-123456', DEMO_API_URL: up.url });

describe('an integration declared once', () => {
  it('calls an operation with typed input and output, through the kernel, with the env names', async () => {
    up.on(
      'GET',
      '/repos/nodejs/undici',
      reply.json(200, { full_name: 'nodejs/undici', stargazers_count: 7, extra: 1 }),
    );
    const gh = createIntegration(demo, { env: env(), logger: false, metricsRegistry: new Registry() });
    const repo = await gh.call('get_repository', { owner: 'nodejs', repo: 'undici' });
    expectTypeOf(repo).toEqualTypeOf<{ full_name: string; stargazers_count: number }>();
    expect(repo).toEqual({ full_name: 'nodejs/undici', stargazers_count: 7 });
    expect(up.requests[0]?.headers.authorization).toBe('Bearer tok-demo-123456');
    expect(gh.client?.getMetrics().totalRequests).toBe(1);
    await gh.close();
  });

  it('rejects bad input with field paths before any network call', async () => {
    const gh = createIntegration(demo, { env: env(), logger: false, metricsRegistry: false });
    // @ts-expect-error: repo is missing, and the compiler says so
    const call = gh.call('get_repository', { owner: '' });
    await expect(call).rejects.toBeInstanceOf(IntegrationValidationError);
    await expect(call).rejects.toMatchObject({
      httpStatus: 400,
      issues: [
        { path: 'owner', message: expect.any(String) },
        { path: 'repo', message: expect.any(String) },
      ],
    });
    await expect(gh.call('nope' as 'create_issue', { title: 'x' })).rejects.toThrow(/no operation nope/);
    expect(up.requests).toHaveLength(0);
    await gh.close();
  });

  it('is disabled by FEATURES__<NAME>_ENABLED and not configured without its secret (seed 000)', async () => {
    const off = createIntegration(demo, {
      env: { ...env(), FEATURES__DEMO_ENABLED: 'false' },
      logger: false,
    });
    expect(off.enabled()).toBe(false);
    expect(() => off.requireEnabled()).toThrow(IntegrationDisabled);
    await expect(off.call('create_issue', { title: 'x' })).rejects.toBeInstanceOf(IntegrationDisabled);
    await off.initialize();
    expect(off.status).toBe('disabled');

    const bare = createIntegration(demo, { env: { DEMO_API_URL: up.url }, logger: false });
    expect(bare.enabled()).toBe(false);
    expect(() => bare.requireConfig()).toThrow(IntegrationNotConfigured);
    expect(() => bare.requireConfig()).toThrow(/config\.token: is required/);
    expect((await bare.healthCheck()).status).toBe('not_configured');
    expect(bare.secretFields).toEqual(['token']);

    const coded = createIntegration(demo, {
      values: { token: 'from-api-9999', baseUrl: up.url },
      env: {},
      logger: false,
    });
    expect(coded.requireConfig()).toEqual({ token: 'from-api-9999', baseUrl: up.url });
  });

  it('caches reads per input for the ttl, counts hits and misses, and invalidates by input or operation', async () => {
    up.on('GET', '/repos/a/b', reply.json(200, { full_name: 'a/b', stargazers_count: 1 }));
    up.on('GET', '/repos/a/c', reply.json(200, { full_name: 'a/c', stargazers_count: 2 }));
    const registry = new Registry();
    const gh = createIntegration(demo, {
      env: env(),
      logger: false,
      metricsRegistry: registry,
      store: new MemoryStore(),
    });
    await gh.call('get_repository', { owner: 'a', repo: 'b' });
    await gh.call('get_repository', { repo: 'b', owner: 'a' });
    await gh.call('get_repository', { owner: 'a', repo: 'c' });
    expect(up.requests).toHaveLength(2);
    expect(gh.cache.stats).toEqual({ hits: 1, misses: 2 });
    expect(await registry.metrics()).toContain(
      'patchbay_cache_requests_total{integration="demo",operation="get_repository",result="hit"} 1',
    );
    expect(await gh.invalidate('get_repository', { owner: 'a', repo: 'b' })).toBe(1);
    await gh.call('get_repository', { owner: 'a', repo: 'b' });
    expect(up.requests).toHaveLength(3);
    expect(await gh.invalidate('get_repository')).toBe(2);
    await gh.call('get_repository', { owner: 'a', repo: 'c' });
    expect(up.requests).toHaveLength(4);
    await gh.close();
  });

  it('expires cached reads after their ttl', async () => {
    let now = 1_000_000;
    up.on('GET', '/repos/a/b', reply.json(200, { full_name: 'a/b', stargazers_count: 1 }));
    const gh = createIntegration(demo, {
      env: env(),
      logger: false,
      metricsRegistry: false,
      store: new MemoryStore(() => now),
    });
    await gh.call('get_repository', { owner: 'a', repo: 'b' });
    now += 59_000;
    await gh.call('get_repository', { owner: 'a', repo: 'b' });
    expect(up.requests).toHaveLength(1);
    now += 2_000;
    await gh.call('get_repository', { owner: 'a', repo: 'b' });
    expect(up.requests).toHaveLength(2);
    await gh.close();
  });

  it('checks output against its schema', async () => {
    up.on('GET', '/repos/a/b', reply.json(200, { full_name: 'a/b' }));
    const gh = createIntegration(demo, { env: env(), logger: false, metricsRegistry: false });
    await expect(gh.call('get_repository', { owner: 'a', repo: 'b' })).rejects.toMatchObject({
      type: 'IntegrationPermanentError',
      code: 'INVALID_OUTPUT',
      issues: [{ path: 'output.stargazers_count', message: expect.any(String) }],
    });
    await gh.close();
  });

  it('reports seed 003 health from a live call', async () => {
    up.on('GET', '/rate_limit', reply.json(200, {}), reply.json(401, { message: 'Bad credentials' }));
    const gh = createIntegration(demo, { env: env(), logger: false, metricsRegistry: false });
    expect(await gh.healthCheck()).toMatchObject({
      name: 'demo',
      status: 'ready',
      message: 'API accessible',
    });
    expect(await gh.healthCheck()).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^IntegrationAuthError/),
    });
    await gh.close();
  });

  it('never leaks a secret config value, even when the upstream echoes it', async () => {
    up.on('POST', '/issues', (r) => reply.json(500, { echo: r.headers.authorization }));
    const sink = logSink();
    const gh = createIntegration(demo, {
      env: env(),
      logger: pino({ level: 'trace' }, sink),
      metricsRegistry: false,
    });
    const error = await gh.call('create_issue', { title: 'x' }).catch((e: unknown) => e);
    expect(JSON.stringify(error)).not.toContain('tok-demo-123456');
    expect(String((error as Error).message)).not.toContain('tok-demo-123456');
    expect(sink.text()).not.toContain('tok-demo-123456');
    expect(sink.text()).toContain('***');
    await gh.close();
  });
});

describe('IntegrationRegistry (seed 003)', () => {
  const email = (name: string) =>
    defineIntegration({
      name,
      config: z.object({ baseUrl: z.string().url() }),
      policies: { retry: false },
      operations: {
        send: defineOperation({
          description: 'send',
          input: z.object({ to: z.string().email() }),
          kind: 'write',
          run: (ctx, input) => ctx.http.post('/send', { json: input }),
        }),
        quota: defineOperation({
          description: 'read the sending quota',
          input: z.object({}),
          kind: 'read',
          run: (ctx) => ctx.http.get('/quota'),
        }),
      },
    });
  const provider = (name: string, baseUrl: string) => () =>
    createIntegration(email(name), { values: { baseUrl }, env: {}, logger: false, metricsRegistry: false });

  it('falls back when the primary never got the call, and checks the health of all', async () => {
    const backup = await startFakeUpstream();
    backup.on('POST', '/send', reply.json(202, { id: 'm1' }));
    const gone = await startFakeUpstream();
    const goneUrl = gone.url;
    await gone.close();
    const registry = new IntegrationRegistry()
      .registerProvider('email', 'primary', provider('primary', goneUrl))
      .registerProvider('email', 'backup', provider('backup', backup.url))
      .setChain('email', ['primary', 'backup']);
    expect(await registry.call('email', 'send', { to: 'a@example.com' })).toEqual({ id: 'm1' });
    expect(backup.requests).toHaveLength(1);
    await expect(registry.call('email', 'send', { to: 'not-an-email' })).rejects.toBeInstanceOf(
      IntegrationValidationError,
    );
    expect(backup.requests).toHaveLength(1);
    expect((await registry.getIntegration('email')).name).toBe('primary');
    expect((await registry.getIntegration('backup')).name).toBe('backup');
    const health = await registry.healthCheckAll();
    expect(health.map((h) => h.name).sort()).toEqual(['backup', 'primary']);
    await registry.close();
    await backup.close();
  });

  it('never sends a write twice: a primary that may have acted (5xx) does not fall back; a read does', async () => {
    const backup = await startFakeUpstream();
    up.on('POST', '/send', reply.serverError(503)).on('GET', '/quota', reply.serverError(503));
    backup
      .on('POST', '/send', reply.json(202, { id: 'm2' }))
      .on('GET', '/quota', reply.json(200, { left: 5 }));
    const registry = new IntegrationRegistry()
      .registerProvider('email', 'primary', provider('primary', up.url))
      .registerProvider('email', 'backup', provider('backup', backup.url));
    registry.setChain('email', ['primary', 'backup']);
    await expect(registry.call('email', 'send', { to: 'a@example.com' })).rejects.toMatchObject({
      status: 503,
    });
    expect(backup.requestsTo('POST', '/send')).toHaveLength(0);
    expect(await registry.call('email', 'quota', {})).toEqual({ left: 5 });
    await registry.close();
    await backup.close();
  });

  it('moves on when a provider cannot be built, and tries to build it again next time', async () => {
    const backup = await startFakeUpstream();
    backup.on('POST', '/send', reply.json(202, { id: 'm3' }));
    let attempts = 0;
    const registry = new IntegrationRegistry()
      .registerProvider('email', 'primary', () => {
        attempts++;
        throw new Error('vault timeout');
      })
      .registerProvider('email', 'backup', provider('backup', backup.url));
    registry.setChain('email', ['primary', 'backup']);
    expect(await registry.call('email', 'send', { to: 'a@example.com' })).toEqual({ id: 'm3' });
    expect(await registry.call('email', 'send', { to: 'b@example.com' })).toEqual({ id: 'm3' });
    expect(attempts).toBe(2);
    await registry.close();
    await backup.close();
  });
});

describe('cache isolation', () => {
  it('two credentials on one store never read each other’s cached results', async () => {
    up.on('GET', '/repos/a/b', (r) =>
      reply.json(200, { full_name: String(r.headers.authorization), stargazers_count: 1 }),
    );
    const store = new MemoryStore();
    const tenantA = createIntegration(demo, {
      env: { ...env(), DEMO_TOKEN: 'token-tenant-a' },
      store,
      logger: false,
      metricsRegistry: false,
    });
    const tenantB = createIntegration(demo, {
      env: { ...env(), DEMO_TOKEN: 'token-tenant-b' },
      store,
      logger: false,
      metricsRegistry: false,
    });
    const a = await tenantA.call('get_repository', { owner: 'a', repo: 'b' });
    const b = await tenantB.call('get_repository', { owner: 'a', repo: 'b' });
    expect(a.full_name).toBe('Bearer token-tenant-a');
    expect(b.full_name).toBe('Bearer token-tenant-b');
    expect(up.requests).toHaveLength(2);
    await tenantA.close();
    await tenantB.close();
  });
});

describe('a dry run', () => {
  it('returns the write it would send, secrets redacted, and sends nothing', async () => {
    up.on('POST', '/issues', reply.json(201, { number: 1 }));
    const gh = createIntegration(demo, { env: env(), logger: false, metricsRegistry: new Registry() });
    const shown = await gh.dryRun(
      'create_issue',
      { title: 'tok-demo-123456 leaked in a title', labels: ['bug'] },
      { idempotencyKey: 'k-1' },
    );
    expect(shown).toEqual({
      dryRun: true,
      operation: 'create_issue',
      request: {
        method: 'POST',
        url: `${up.url}/issues`,
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        body: { title: '*** leaked in a title', labels: ['bug'] },
        idempotencyKey: 'k-1',
      },
    });
    expect(JSON.stringify(shown)).not.toContain('tok-demo-123456');
    expect(up.requests).toHaveLength(0);
    await expect(gh.dryRun('create_issue', { title: '' })).rejects.toBeInstanceOf(IntegrationValidationError);
    await gh.close();
  });

  it('lets reads through and stops at the first write', async () => {
    const lookupThenWrite = defineIntegration({
      ...demo,
      operations: {
        star_if_found: defineOperation({
          description: 'Look a repository up, then star it',
          kind: 'write',
          input: z.object({ owner: z.string(), repo: z.string() }),
          run: async (ctx, { owner, repo }) => {
            const found = await ctx.http.get<{ full_name: string }>(`/repos/${owner}/${repo}`);
            return ctx.http.put(`/user/starred/${found.full_name}`);
          },
        }),
      },
    });
    up.on('GET', '/repos/:owner/:repo', reply.json(200, { full_name: 'nodejs/undici', stargazers_count: 1 }));
    const gh = createIntegration(lookupThenWrite, {
      env: env(),
      logger: false,
      metricsRegistry: new Registry(),
    });
    const shown = await gh.dryRun('star_if_found', { owner: 'nodejs', repo: 'undici' });
    expect(shown.request).toMatchObject({ method: 'PUT', url: `${up.url}/user/starred/nodejs/undici` });
    expect(up.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/nodejs/undici']);
    await gh.close();
  });
});
