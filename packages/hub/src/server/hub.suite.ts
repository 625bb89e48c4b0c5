// The hub's HTTP contract, run against the REAL server (port 0) on each storage backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, defineIntegration, defineOperation, secret } from '@patchbay/core';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadHubConfig } from '../config/index.js';
import { dlqAad, generateMasterKey } from '../secrets/index.js';
import type { OpenDatabaseOptions } from '../storage/index.js';
import { hashToken } from './auth.js';
import { createHub, type Hub } from './create-hub.js';

interface WireError {
  type: string;
  message: string;
  httpStatus: number;
  code?: string;
  issues?: { path: string; message: string }[];
  deadLetterId?: string;
  [key: string]: unknown;
}
type Body = Record<string, unknown> & {
  error: WireError;
  rows: Record<string, unknown>[];
  config: Record<string, { value?: unknown; origin?: string; updatedAt?: number }>;
  nextCursor?: string;
};
const paths = (error: WireError | undefined) => (error?.issues ?? []).map((i) => i.path).sort();

export interface SuiteBackend {
  /** `DATABASE_URL` for PostgreSQL; undefined for the embedded SQLite file. */
  databaseUrl?: string;
  storage?: Pick<OpenDatabaseOptions, 'schema' | 'poolSize'>;
}

const ADMIN = 'admin-token-0123456789abcdef';
const OPERATOR = 'operator-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcdef';
const UPSTREAM_SECRET = 'sk-live-UPSTREAM-SECRET-4242';

export const demo = defineIntegration({
  name: 'demo',
  description: 'A demo upstream',
  config: z.object({ token: secret(), baseUrl: z.string().url() }),
  env: { token: 'DEMO_TOKEN', baseUrl: 'DEMO_API_URL' },
  auth: (c) => bearer(c.token),
  policies: { retry: { maxRetries: 1, initialDelay: 5, maxDelay: 10 } },
  health: (ctx) => ctx.http.get('/health'),
  operations: {
    get_item: defineOperation({
      description: 'Read one item',
      kind: 'read',
      input: z.object({ id: z.string().min(1) }),
      run: (ctx, { id }) => ctx.http.get(`/items/${encodeURIComponent(id)}`),
    }),
    create_item: defineOperation({
      description: 'Create an item',
      kind: 'write',
      input: z.object({
        title: z.string().min(1),
        labels: z.array(z.string()).optional(),
        password: z.string().optional(),
      }),
      run: (ctx, input) => ctx.http.post('/items', { json: input }),
    }),
  },
});

export function hubSuite(
  label: string,
  backend: () => Promise<SuiteBackend>,
  dispose?: () => Promise<void>,
): void {
  describe(`hub over HTTP (${label})`, () => {
    let hub: Hub;
    let base: string;
    let up: FakeUpstream;
    let dir: string;
    const printed: string[] = [];

    const call = async (
      method: string,
      path: string,
      options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
    ) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json: (json ?? {}) as Body };
    };

    beforeAll(async () => {
      up = await startFakeUpstream();
      dir = mkdtempSync(join(tmpdir(), 'patchbay-hub-'));
      const { databaseUrl, storage } = await backend();
      const config = await loadHubConfig({
        cwd: dir,
        env: {
          PATCHBAY_DATA_DIR: dir,
          PATCHBAY_LOG_LEVEL: 'silent',
          PATCHBAY_MASTER_KEY: generateMasterKey(),
          PORT: '0',
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        },
      });
      hub = await createHub({
        config,
        integrations: [demo],
        ...(storage ? { storage } : {}),
        egress: { allow: ['127.0.0.1'] },
        printAdminToken: (token) => printed.push(token),
        auditFlushIntervalMs: 10,
      });
      // No PATCHBAY_ADMIN_TOKEN: one was generated and handed out once. Add known tokens for the matrix.
      await hub.repositories.tokens.create({ name: 'a', tokenHash: hashToken(ADMIN), scopes: ['admin'] });
      await hub.repositories.tokens.create({
        name: 'o',
        tokenHash: hashToken(OPERATOR),
        scopes: ['operator'],
      });
      await hub.repositories.tokens.create({ name: 'v', tokenHash: hashToken(VIEWER), scopes: ['viewer'] });
      base = await hub.start();
    });

    afterAll(async () => {
      await hub?.close();
      await up?.close();
      rmSync(dir, { recursive: true, force: true });
      await dispose?.();
    });

    it('prints a generated admin token once and stores only its hash', async () => {
      expect(printed).toHaveLength(1);
      const token = printed[0] ?? '';
      const record = await hub.repositories.tokens.findByHash(hashToken(token));
      expect(record?.scopes).toEqual(['admin']);
      const rows = await hub.repositories.tokens.list();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect((await call('GET', '/api/integrations', { token })).status).toBe(200);
    });

    it('answers 401 without or with a wrong token, 403 with a too small scope, in the wire error shape', async () => {
      const none = await call('GET', '/api/integrations');
      expect(none.status).toBe(401);
      expect(none.json.error).toMatchObject({
        type: 'HubAuthError',
        code: 'UNAUTHENTICATED',
        httpStatus: 401,
      });
      expect((await call('GET', '/api/integrations', { token: 'nope-nope-nope' })).status).toBe(401);
      expect(
        (await call('GET', '/api/integrations', { headers: { authorization: `Basic ${ADMIN}` } })).status,
      ).toBe(401);
      expect((await call('GET', '/api/unknown-route')).status).toBe(401);
      expect((await call('GET', '/metrics')).status).toBe(401);

      const matrix: [string, string, string, unknown, number][] = [
        ['viewer', 'POST', '/api/integrations/demo/configure', { values: {} }, 403],
        ['operator', 'POST', '/api/integrations/demo/configure', { values: {} }, 403],
        ['viewer', 'POST', '/api/integrations/demo/operations/get_item', { id: 'x' }, 403],
        ['viewer', 'POST', '/api/integrations/demo/test', undefined, 403],
        ['operator', 'DELETE', '/api/dlq/none', undefined, 403],
        ['viewer', 'GET', '/api/integrations/demo/status', undefined, 200],
        ['viewer', 'GET', '/api/audit', undefined, 200],
        ['viewer', 'GET', '/api/dlq', undefined, 200],
        ['operator', 'GET', '/api/integrations', undefined, 200],
        ['admin', 'DELETE', '/api/dlq/none', undefined, 404],
      ];
      const tokens: Record<string, string> = { admin: ADMIN, operator: OPERATOR, viewer: VIEWER };
      for (const [who, method, path, body, expected] of matrix) {
        const res = await call(method, path, {
          token: tokens[who] ?? '',
          ...(body !== undefined ? { body } : {}),
        });
        expect(`${who} ${method} ${path} ${res.status}`).toBe(`${who} ${method} ${path} ${expected}`);
        if (expected === 403) {
          expect(res.json.error).toMatchObject({ type: 'HubAuthError', code: 'FORBIDDEN', httpStatus: 403 });
        }
      }
    });

    it('lists integrations; unconfigured before configure', async () => {
      const res = await call('GET', '/api/integrations', { token: VIEWER });
      expect(res.status).toBe(200);
      expect(res.json.integrations).toEqual([
        expect.objectContaining({
          name: 'demo',
          description: 'A demo upstream',
          enabled: true,
          configured: false,
          operations: [
            { name: 'get_item', description: 'Read one item', kind: 'read' },
            { name: 'create_item', description: 'Create an item', kind: 'write' },
          ],
        }),
      ]);
    });

    it('rejects a bad configuration with field paths, and unknown names with 404', async () => {
      const bad = await call('POST', '/api/integrations/demo/configure', {
        token: ADMIN,
        body: { values: { baseUrl: 'not a url', token: '', colour: 'red' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.error).toMatchObject({ type: 'HubValidationError', httpStatus: 400 });
      expect(paths(bad.json.error)).toEqual(['values.baseUrl', 'values.colour', 'values.token']);
      const shape = await call('POST', '/api/integrations/demo/configure', {
        token: ADMIN,
        body: { values: 3 },
      });
      expect(shape.status).toBe(400);
      expect(shape.json.error.issues?.[0]?.path).toBe('values');
      const unknown = await call('POST', '/api/integrations/nope/configure', {
        token: ADMIN,
        body: { values: {} },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toMatchObject({ type: 'HubNotFound' });
    });

    it('configures: the secret is stored encrypted and never echoed', async () => {
      const res = await call('POST', '/api/integrations/demo/configure', {
        token: ADMIN,
        body: { values: { baseUrl: up.url, token: UPSTREAM_SECRET } },
      });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(UPSTREAM_SECRET);
      expect(res.json).toMatchObject({ name: 'demo', enabled: true, configured: true });
      expect(res.json.config.token).toMatchObject({ value: '***', origin: 'stored' });
      expect(typeof res.json.config.token?.updatedAt).toBe('number');

      const rows = await hub.database.db.selectFrom('secrets').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.field).toBe('token');
      expect(JSON.stringify(rows)).not.toContain(UPSTREAM_SECRET);
      const configs = await hub.database.db.selectFrom('integration_configs').selectAll().execute();
      expect(JSON.stringify(configs)).not.toContain(UPSTREAM_SECRET);
      expect(hub.cipher.decrypt(rows[0]?.ciphertext ?? '', 'demo/token')).toBe(UPSTREAM_SECRET);

      for (const path of ['/api/integrations', '/api/integrations/demo/status']) {
        const read = await call('GET', path, { token: ADMIN });
        expect(read.text).not.toContain(UPSTREAM_SECRET);
      }
    });

    it('shows status with breaker, rate limit and metrics', async () => {
      const res = await call('GET', '/api/integrations/demo/status', { token: VIEWER });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ name: 'demo', enabled: true, configured: true, egressEnforced: true });
      expect(res.json.circuitBreaker).toMatchObject({ state: 'closed' });
      expect(res.json.metrics).toMatchObject({ totalRequests: expect.any(Number) });
      expect(res.json.config.baseUrl).toEqual({ value: up.url, origin: 'stored' });
    });

    it('tests the connection live', async () => {
      up.on('GET', '/health', reply.json(200, { ok: true }));
      const res = await call('POST', '/api/integrations/demo/test', { token: OPERATOR });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ name: 'demo', status: 'ready', healthy: true });
      expect(up.requestsTo('GET', '/health')[0]?.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
    });

    it('calls an operation and returns its JSON; echoes a sane request id, replaces an insane one', async () => {
      up.on('GET', '/items/:id', reply.json(200, { id: 'a1', title: 'hello' }));
      const res = await call('POST', '/api/integrations/demo/operations/get_item', {
        token: OPERATOR,
        body: { id: 'a1' },
        headers: { 'x-request-id': 'req-abc.123' },
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ id: 'a1', title: 'hello' });
      expect(res.headers.get('x-request-id')).toBe('req-abc.123');
      const insane = await call('GET', '/healthz', {
        headers: { 'x-request-id': 'bad id with spaces<script>' },
      });
      expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const generated = await call('GET', '/healthz');
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers an upstream 503 with 503 and an IntegrationTemporaryError body', async () => {
      up.on('GET', '/items/:id', reply.serverError(503));
      const res = await call('POST', '/api/integrations/demo/operations/get_item', {
        token: OPERATOR,
        body: { id: 'down' },
      });
      expect(res.status).toBe(503);
      expect(res.json.error).toMatchObject({
        type: 'IntegrationTemporaryError',
        retryable: true,
        integration: 'demo',
        operation: 'get_item',
        httpStatus: 503,
      });
      expect(res.text).not.toContain(UPSTREAM_SECRET);
    });

    it('validates operation input with field paths (400) and 404s unknown operations', async () => {
      const res = await call('POST', '/api/integrations/demo/operations/create_item', {
        token: OPERATOR,
        body: { title: '', labels: [1] },
      });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ type: 'IntegrationValidationError', httpStatus: 400 });
      expect(paths(res.json.error)).toEqual(['labels.0', 'title']);
      const missing = await call('POST', '/api/integrations/demo/operations/nope', {
        token: OPERATOR,
        body: {},
      });
      expect(missing.status).toBe(404);
      expect(missing.json.error).toMatchObject({ type: 'HubNotFound' });
      const empty = await call('POST', '/api/integrations/demo/operations/get_item', { token: OPERATOR });
      expect(empty.status).toBe(400);
      expect(empty.json.error.issues?.[0]?.path).toBe('id');
      const notJson = await fetch(`${base}/api/integrations/demo/operations/get_item`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
        body: '{oops',
      });
      expect(notJson.status).toBe(400);
    });

    it('?dryRun=true shows the write it would send, secrets redacted, and sends nothing', async () => {
      const before = up.requests.length;
      const res = await call('POST', '/api/integrations/demo/operations/create_item?dryRun=true', {
        token: OPERATOR,
        body: { title: 'not sent', password: 'hunter2-not-a-known-secret' },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        dryRun: true,
        operation: 'create_item',
        request: { method: 'POST', url: `${up.url}/items`, body: { title: 'not sent', password: '***' } },
      });
      expect(res.text).not.toContain('hunter2-not-a-known-secret');
      expect(up.requests.length).toBe(before);
      const bad = await call('POST', '/api/integrations/demo/operations/create_item?dryRun=maybe', {
        token: OPERATOR,
        body: { title: 'x' },
      });
      expect(bad.status).toBe(400);
      expect(paths(bad.json.error)).toEqual(['query.dryRun']);
    });

    it('dead-letters a failed write with its input encrypted, and writes audit rows for every call', async () => {
      up.on('POST', '/items', reply.serverError(503));
      const res = await call('POST', '/api/integrations/demo/operations/create_item', {
        token: OPERATOR,
        body: { title: 'keep me', password: 'hunter2-hunter2' },
        headers: { 'x-request-id': 'write-req-1', 'idempotency-key': 'idem-1' },
      });
      expect(res.status).toBe(503);
      expect(res.json.error).toMatchObject({
        type: 'IntegrationTemporaryError',
        deadLetterId: expect.any(String),
      });
      const id = res.json.error.deadLetterId ?? '';

      const row = await hub.database.db
        .selectFrom('dead_letters')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      expect(row).toMatchObject({ integration: 'demo', operation: 'create_item', status: 'pending' });
      expect(row?.request_id).toBe('write-req-1');
      expect(row?.idempotency_key).toBe('idem-1');
      expect(row?.input_ciphertext).not.toContain('keep me');
      expect(row?.input_ciphertext).not.toContain('hunter2');
      expect(JSON.parse(hub.cipher.decrypt(row?.input_ciphertext ?? '', dlqAad(id)))).toEqual({
        title: 'keep me',
        password: 'hunter2-hunter2',
      });

      const list = await call('GET', '/api/dlq', { token: VIEWER });
      expect(list.status).toBe(200);
      expect(list.text).not.toContain('hunter2');
      expect(list.json.rows).toEqual([expect.objectContaining({ id, input: '***' })]);

      // A failed read is not dead-lettered.
      expect(await hub.repositories.deadLetters.count()).toBe(1);

      await hub.audit.flush();
      const audit = await call('GET', '/api/audit?integration=demo&limit=50', { token: VIEWER });
      expect(audit.status).toBe(200);
      expect(audit.text).not.toContain('hunter2');
      const rows = audit.json.rows as unknown as {
        operation: string;
        outcome: string;
        errorType: string | null;
        requestId: string;
        tokenId: string;
        inputRedacted: unknown;
        durationMs: number;
      }[];
      const write = rows.find((r) => r.requestId === 'write-req-1');
      expect(write).toMatchObject({
        operation: 'create_item',
        outcome: 'temporary_error',
        errorType: 'IntegrationTemporaryError',
        inputRedacted: { title: 'keep me', password: '***' },
      });
      const operator = await hub.repositories.tokens.findByHash(hashToken(OPERATOR));
      expect(write?.tokenId).toBe(operator?.id);
      expect(rows.find((r) => r.requestId === 'req-abc.123')).toMatchObject({
        operation: 'get_item',
        outcome: 'success',
      });
      expect(rows.some((r) => r.outcome === 'invalid_input')).toBe(true);

      const paged = await call('GET', '/api/audit?limit=1&order=asc', { token: VIEWER });
      expect(paged.json.rows).toHaveLength(1);
      expect(typeof paged.json.nextCursor).toBe('string');
      const next = await call('GET', `/api/audit?limit=1&order=asc&cursor=${paged.json.nextCursor}`, {
        token: VIEWER,
      });
      expect((next.json.rows as unknown as { seq: number }[])[0]?.seq).toBeGreaterThan(
        (paged.json.rows as unknown as { seq: number }[])[0]?.seq ?? 0,
      );
      const badQuery = await call('GET', '/api/audit?limit=0&colour=red', { token: VIEWER });
      expect(badQuery.status).toBe(400);
      expect(paths(badQuery.json.error)).toEqual(['query', 'query.limit']);
      expect((await hub.repositories.audit.verifyChain()).ok).toBe(true);

      const removed = await call('DELETE', `/api/dlq/${id}`, { token: ADMIN });
      expect(removed.status).toBe(204);
      expect(await hub.repositories.deadLetters.count()).toBe(0);
    });

    it('replays a dead letter with its original idempotency key, once', async () => {
      // With its idempotency key the write is retried (2 attempts), then dead-lettered.
      const before = up.requestsTo('POST', '/items').length;
      up.on(
        'POST',
        '/items',
        reply.serverError(503),
        reply.serverError(503),
        reply.json(201, { id: 'item-9' }),
      );
      const failed = await call('POST', '/api/integrations/demo/operations/create_item', {
        token: OPERATOR,
        body: { title: 'again' },
        headers: { 'idempotency-key': 'idem-replay-1' },
      });
      expect(failed.status).toBe(503);
      const id = failed.json.error.deadLetterId ?? '';
      expect(
        up
          .requestsTo('POST', '/items')
          .slice(before)
          .map((r) => r.headers['idempotency-key']),
      ).toEqual(['idem-replay-1', 'idem-replay-1']);

      expect((await call('POST', `/api/dlq/${id}/replay`, { token: OPERATOR })).status).toBe(403);
      const replayed = await call('POST', `/api/dlq/${id}/replay`, { token: ADMIN });
      expect(replayed.status).toBe(200);
      expect(replayed.json).toMatchObject({ id, status: 'replayed', result: { id: 'item-9' } });
      const sent = up.requestsTo('POST', '/items');
      expect(sent.at(-1)?.headers['idempotency-key']).toBe('idem-replay-1');
      expect(sent.at(-1)?.json()).toEqual({ title: 'again' });
      expect((await hub.repositories.deadLetters.get(id))?.status).toBe('replayed');

      const again = await call('POST', `/api/dlq/${id}/replay`, { token: ADMIN });
      expect(again.status).toBe(409);
      expect(up.requestsTo('POST', '/items')).toHaveLength(sent.length);
      expect((await call('POST', '/api/dlq/nope/replay', { token: ADMIN })).status).toBe(404);
    });

    it('describes every operation in OpenAPI at /docs, from the zod declarations', async () => {
      const doc = await call('GET', '/docs/openapi.json');
      expect(doc.status).toBe(200);
      const spec = doc.json as unknown as {
        openapi: string;
        paths: Record<
          string,
          Record<
            string,
            {
              requestBody?: {
                content: Record<
                  string,
                  { schema: { properties?: Record<string, { type?: string; writeOnly?: boolean }> } }
                >;
              };
              operationId?: string;
            }
          >
        >;
      };
      expect(spec.openapi).toBe('3.1.0');
      const create = spec.paths['/api/integrations/demo/operations/create_item']?.post;
      expect(create?.operationId).toBe('demo_create_item');
      expect(create?.requestBody?.content['application/json']?.schema.properties?.title?.type).toBe('string');
      const configure = spec.paths['/api/integrations/demo/configure']?.post?.requestBody?.content[
        'application/json'
      ]?.schema as unknown as {
        properties: { values: { properties: Record<string, { writeOnly?: boolean }> } };
      };
      expect(configure.properties.values.properties.token?.writeOnly).toBe(true);
      // The hub's own routes too: webhook admin (with its body schema), tools, approvals, MCP.
      const putSource = spec.paths['/api/webhooks/sources/{source}']?.put;
      expect(putSource?.requestBody?.content['application/json']?.schema.properties?.verify).toBeDefined();
      for (const path of [
        '/api/tools',
        '/api/approvals',
        '/mcp',
        '/api/events',
        '/api/integrations/webhook/{name}',
      ]) {
        expect(Object.keys(spec.paths)).toContain(path);
      }
      expect(doc.text).not.toContain(UPSTREAM_SECRET);
      const page = await call('GET', '/docs');
      expect(page.status).toBe(200);
      expect(page.text).toContain('/api/integrations/demo/operations/create_item');
    });

    it('serves /healthz and /readyz openly and /metrics to viewers', async () => {
      const health = await call('GET', '/healthz');
      expect(health.status).toBe(200);
      const ready = await call('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({ status: 'ready' });
      const metrics = await call('GET', '/metrics', { token: VIEWER });
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(metrics.text).toContain('patchbay_client_requests_total');
      expect(metrics.text).toContain('patchbay_hub_http_request_duration_seconds');
      expect(metrics.text).not.toContain(UPSTREAM_SECRET);
    });

    it('refuses bodies over the limit with 413 in the wire shape', async () => {
      const res = await call('POST', '/api/integrations/demo/operations/create_item', {
        token: OPERATOR,
        body: { title: 'x'.repeat(1024 * 1024 + 10) },
      });
      expect(res.status).toBe(413);
      expect(res.json.error).toMatchObject({ type: 'HubRequestError', httpStatus: 413 });
    });

    it('enforces egress on URLs set through the API unless allowed', async () => {
      // The allow list admits 127.0.0.1 only: another loopback address set through the API is refused.
      const res = await call('POST', '/api/integrations/demo/configure', {
        token: ADMIN,
        body: { values: { baseUrl: up.url.replace('127.0.0.1', '127.0.0.2') } },
      });
      expect(res.status).toBe(200);
      const blocked = await call('POST', '/api/integrations/demo/operations/get_item', {
        token: OPERATOR,
        body: { id: 'a1' },
      });
      expect(blocked.json.error).toMatchObject({ code: 'EGRESS_DENIED', integration: 'demo' });
      expect(blocked.status).toBe(blocked.json.error.httpStatus);
      await call('POST', '/api/integrations/demo/configure', {
        token: ADMIN,
        body: { values: { baseUrl: up.url } },
      });
    });
  });
}
