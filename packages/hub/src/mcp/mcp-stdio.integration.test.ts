// MCP over stdio: the SDK's client spawns a child process serving the hub's tools (as
// `patchbay mcp` would), against a fake upstream. An HTTP hub on the same database is the admin's
// side: approvals the child waits for are granted through its REST API, from another process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../secrets/index.js';
import { CANARY, integrationEnv } from './fixtures/test-integrations.js';
import { type McpTestHub, pendingApproval, rest, startMcpHub, TOKENS } from './mcp.harness.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/stdio-hub.ts', import.meta.url));
type Envelope = { result?: unknown; error?: Record<string, unknown>; dryRun?: Record<string, unknown> };
const envelope = (result: unknown) => (result as CallToolResult).structuredContent as Envelope;
const names = (tools: readonly Tool[]) => tools.map((t) => t.name).sort();

let up: FakeUpstream;
let admin: McpTestHub;
let dataDir: string;
const masterKey = generateMasterKey();
const seen: string[] = [];

/** Starts `fixtures/stdio-hub.ts` as a child process and connects the SDK's stdio client to it. */
async function spawnStdio(extraEnv: Record<string, string> = {}): Promise<Client> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, {
    PATCHBAY_DATA_DIR: dataDir,
    PATCHBAY_MASTER_KEY: masterKey,
    PATCHBAY_LOG_LEVEL: 'fatal',
    PATCHBAY_APPROVAL_REQUIRED: 'shop.refund_order',
    PATCHBAY_APPROVAL_TIMEOUT: '10',
    DATABASE_URL: '',
    REDIS_URL: '',
    ...integrationEnv(up.url),
    ...extraEnv,
  });
  const client = new Client({ name: 'patchbay-stdio-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', FIXTURE],
      env,
      cwd: process.cwd(),
      stderr: 'inherit',
    }),
  );
  return client;
}

async function call(client: Client, name: string, args: unknown) {
  const result = (await client.callTool({
    name,
    arguments: args as Record<string, unknown>,
  })) as CallToolResult;
  seen.push(JSON.stringify(result));
  return result;
}

let agent: Client;

beforeAll(async () => {
  up = await startFakeUpstream();
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-mcp-stdio-'));
  admin = await startMcpHub({ upstreamUrl: up.url, dataDir, masterKey });
  agent = await spawnStdio();
});

afterAll(async () => {
  await agent?.close();
  await admin?.close();
  await up?.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(seen.join('\n')).not.toContain(CANARY);
});

describe('MCP over stdio', () => {
  it('lists the tools with schemas and annotations (the local owner sees them all)', async () => {
    const { tools } = await agent.listTools();
    seen.push(JSON.stringify(tools));
    expect(names(tools)).toEqual([
      'chat_list_channels',
      'chat_post_message',
      'flaky_ping',
      'search_tools',
      'shop_create_order',
      'shop_get_order',
      'shop_list_orders',
      'shop_refund_order',
    ]);
    const write = tools.find((t) => t.name === 'shop_create_order');
    expect(write?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(write?.inputSchema).toMatchObject({ type: 'object', required: ['sku', 'qty'] });
    expect(tools.find((t) => t.name === 'shop_get_order')?.outputSchema).toMatchObject({
      properties: { result: { required: ['id', 'total', 'items'] } },
    });
  });

  it('calls a read and a write against the fake upstream', async () => {
    up.on('GET', '/orders/s-1', reply.json(200, { id: 's-1', total: 3, items: [] }));
    up.on('POST', '/orders', (req) => reply.json(201, { id: 's-2', ...(req.json() as object) }));
    expect(envelope(await call(agent, 'shop_get_order', { id: 's-1' }))).toEqual({
      result: { id: 's-1', total: 3, items: [] },
    });
    const written = await call(agent, 'shop_create_order', '{"sku":"Z","qty":"2"}');
    expect(envelope(written)).toEqual({ result: { id: 's-2', sku: 'Z', qty: 2 } });
    expect(up.requestsTo('POST', '/orders').at(-1)?.json()).toEqual({ sku: 'Z', qty: 2 });
    expect(up.requestsTo('POST', '/orders').at(-1)?.headers.authorization).toBe(`Bearer ${CANARY}`);
  });

  it('answers bad input and an open breaker with typed isError results', async () => {
    const bad = await call(agent, 'shop_get_order', { id: '' });
    expect(bad.isError).toBe(true);
    expect(envelope(bad).error).toMatchObject({
      type: 'IntegrationValidationError',
      retryable: false,
      issues: [{ path: 'id', message: expect.any(String) }],
    });
    up.on('GET', '/ping', reply.serverError(502));
    await call(agent, 'flaky_ping', {});
    await call(agent, 'flaky_ping', {});
    const open = await call(agent, 'flaky_ping', {});
    expect(open.isError).toBe(true);
    expect(envelope(open).error).toMatchObject({ type: 'CircuitOpenError', retryable: true });
    expect(up.requestsTo('GET', '/ping')).toHaveLength(2);
  });

  it('waits for an approval that an admin grants through another process', async () => {
    up.on('POST', '/orders/:id/refund', (req) => reply.json(200, { refunded: req.params.id }));
    const call = agent.callTool({ name: 'shop_refund_order', arguments: { id: 's-3', amount: 9 } });
    const pending = await pendingApproval(admin.base, 'shop_refund_order');
    expect(pending).toMatchObject({
      requestedBy: null,
      channel: 'mcp',
      request: { method: 'POST', body: { amount: 9 } },
    });
    expect(up.requestsTo('POST', '/orders/s-3/refund')).toHaveLength(0);
    const granted = await rest(admin.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin);
    expect(granted.status).toBe(200);
    expect(envelope(await call)).toEqual({ result: { refunded: 's-3' } });
    expect(up.requestsTo('POST', '/orders/s-3/refund')).toHaveLength(1);
  });

  it("applies PATCHBAY_TOKEN's limits: a read-only token lists and calls reads only", async () => {
    const reader = await spawnStdio({ PATCHBAY_TOKEN: TOKENS.readOnly });
    try {
      const { tools } = await reader.listTools();
      expect(names(tools)).toEqual([
        'chat_list_channels',
        'flaky_ping',
        'search_tools',
        'shop_get_order',
        'shop_list_orders',
      ]);
      const before = up.requestsTo('POST', '/orders').length;
      const refused = await call(reader, 'shop_create_order', { sku: 'Q', qty: 1 });
      expect(envelope(refused).error).toMatchObject({ type: 'HubAuthError', code: 'FORBIDDEN' });
      expect(up.requestsTo('POST', '/orders').length).toBe(before);
    } finally {
      await reader.close();
    }
  });
});
