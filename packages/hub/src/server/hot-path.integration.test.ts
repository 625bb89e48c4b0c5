// What the REST operation route's hot-path shortcuts must not change, over real HTTP on SQLite:
// the token cache (a revoke through the hub takes effect on the next request), the per-connection
// caller signal (an abandoned call stops, and its write is not dead-lettered) and the group-commit
// audit log (one row per call, one valid chain, under concurrency).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, defineIntegration, defineOperation, secret } from '@patchbay/core';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadHubConfig } from '../config/index.js';
import { generateMasterKey } from '../secrets/index.js';
import { hashToken } from './auth.js';
import { createHub, type Hub } from './create-hub.js';

const ADMIN = 'admin-token-hot-path-0123456789';
const OPERATOR = 'operator-token-hot-path-0123456789';

const items = defineIntegration({
  name: 'items',
  description: 'An item store',
  config: z.object({ token: secret(), baseUrl: z.string().url() }),
  auth: (c) => bearer(c.token),
  policies: { retry: { maxRetries: 0 } },
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
      input: z.object({ title: z.string().min(1) }),
      run: (ctx, input) => ctx.http.post('/items', { json: input }),
    }),
  },
});

describe('the REST operation route under load and when callers leave', () => {
  let hub: Hub;
  let base: string;
  let up: FakeUpstream;
  let dir: string;
  let operatorId: string;
  // Keep-alive connections, as a real client would hold them: the caller signal is per connection.
  const agent = new Agent({ connections: 8 });

  const post = async (
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ) => {
    const res = await request(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}`, ...headers },
      body: JSON.stringify(body),
      dispatcher: agent,
      ...(signal ? { signal } : {}),
    });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    up = await startFakeUpstream();
    dir = mkdtempSync(join(tmpdir(), 'patchbay-hot-path-'));
    const config = await loadHubConfig({
      cwd: dir,
      env: {
        PATCHBAY_DATA_DIR: dir,
        PATCHBAY_LOG_LEVEL: 'silent',
        PATCHBAY_MASTER_KEY: generateMasterKey(),
        PATCHBAY_ADMIN_TOKEN: ADMIN,
        PORT: '0',
      },
    });
    hub = await createHub({ config, integrations: [items], egress: { allow: ['127.0.0.1'] } });
    operatorId = (
      await hub.repositories.tokens.create({
        name: 'op',
        tokenHash: hashToken(OPERATOR),
        scopes: ['operator'],
      })
    ).id;
    base = await hub.start();
    const configured = await request(`${base}/api/integrations/items/configure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ values: { token: 'upstream-secret', baseUrl: up.url } }),
    });
    expect(configured.statusCode).toBe(200);
    await configured.body.dump();
  });

  afterAll(async () => {
    await agent.close();
    await hub?.close();
    await up?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one audit row per call, in one valid chain, for 200 concurrent calls', async () => {
    up.on('GET', '/items/:id', (req) => reply.json(200, { id: req.params.id }));
    const ids = Array.from({ length: 200 }, (_, i) => `load-${i}`);
    const answers = await Promise.all(
      ids.map((id) =>
        post('/api/integrations/items/operations/get_item', { id }, { 'x-request-id': `req-${id}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    expect(answers.map((a) => a.json.id)).toEqual(ids);

    await hub.audit.flush();
    const rows = [];
    for (let cursor: string | undefined, page = 0; page < 10; page++) {
      const found = await hub.repositories.audit.query({
        integration: 'items',
        operation: 'get_item',
        order: 'asc',
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      rows.push(...found.rows);
      cursor = found.nextCursor;
      if (!cursor) break;
    }
    const loadRows = rows.filter((r) => r.requestId?.startsWith('req-load-'));
    expect(loadRows.map((r) => r.requestId).sort()).toEqual(ids.map((id) => `req-${id}`).sort());
    expect(new Set(loadRows.map((r) => r.tokenId))).toEqual(new Set([operatorId]));
    expect(loadRows.every((r) => r.outcome === 'success')).toBe(true);
    expect(await hub.repositories.audit.verifyChain()).toMatchObject({ ok: true });
  });

  it('refuses a token revoked through the hub on its very next request', async () => {
    up.on('GET', '/items/:id', (req) => reply.json(200, { id: req.params.id }));
    const token = 'short-lived-token-0123456789abcdef';
    const { id } = await hub.repositories.tokens.create({
      name: 'short-lived',
      tokenHash: hashToken(token),
      scopes: ['operator'],
    });
    const asShortLived = { authorization: `Bearer ${token}` };
    const before = await post('/api/integrations/items/operations/get_item', { id: 'a' }, asShortLived);
    expect(before.status).toBe(200); // the token is now in the hub's cache

    expect(await hub.revokeToken(id)).toBe(true);
    const after = await post('/api/integrations/items/operations/get_item', { id: 'a' }, asShortLived);
    expect(after.status).toBe(401);
    expect(after.json.error).toMatchObject({ type: 'HubAuthError', code: 'UNAUTHENTICATED' });
    expect(await hub.revokeToken(id)).toBe(false);

    const operator = await post('/api/integrations/items/operations/get_item', { id: 'b' });
    expect(operator.status).toBe(200); // other tokens are unaffected
  });

  it('stops a write whose caller went away, and does not dead-letter it', async () => {
    // Without the caller's abort the hub would wait out the upstream (longer than this test may run).
    up.on('POST', '/items', { delayMs: 60_000, json: { id: 'late' } });
    const sent = up.requests.length;
    const leaving = new AbortController();
    const abandoned = post(
      '/api/integrations/items/operations/create_item',
      { title: 'nobody waits' },
      { 'x-request-id': 'abandoned-write' },
      leaving.signal,
    );
    while (!up.requests.slice(sent).some((r) => r.method === 'POST' && r.path === '/items')) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    leaving.abort(); // the client closes its connection while the upstream call is in flight
    await expect(abandoned).rejects.toThrow();

    let row: Awaited<ReturnType<Hub['repositories']['audit']['query']>>['rows'][number] | undefined;
    while (!row) {
      await hub.audit.flush();
      [row] = (await hub.repositories.audit.query({ requestId: 'abandoned-write' })).rows;
      if (!row) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(row).toMatchObject({ operation: 'create_item', outcome: 'error', errorType: 'Error' });
    const letters = await hub.repositories.deadLetters.list({});
    expect(letters.rows.filter((l) => l.requestId === 'abandoned-write')).toEqual([]);

    // The same kind of write, failing while its caller waits, is dead-lettered: the abort made the difference.
    up.on('POST', '/items', reply.serverError(503));
    const failed = await post('/api/integrations/items/operations/create_item', { title: 'kept' });
    expect(failed.status).toBe(503);
    expect(failed.json.error).toMatchObject({ deadLetterId: expect.any(String) });
  });
});
