// MCP over Streamable HTTP against a real hub (port 0) and a fake upstream, with the SDK's own client.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from './fixtures/test-integrations.js';
import { connectHttp, type McpTestHub, rest, startMcpHub, TOKENS } from './mcp.harness.js';

type Envelope = { result?: unknown; error?: Record<string, unknown>; dryRun?: Record<string, unknown> };
const envelope = (result: unknown) => (result as CallToolResult).structuredContent as Envelope;
const textOf = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
const names = (tools: readonly Tool[]) => tools.map((t) => t.name).sort();

let up: FakeUpstream;
let server: McpTestHub;
let agent: Client;
const seen: string[] = [];

beforeAll(async () => {
  up = await startFakeUpstream();
  server = await startMcpHub({ upstreamUrl: up.url });
  agent = await connectHttp(server.base, TOKENS.operator);
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
  await up?.close();
  // Nothing a client was sent may hold the shop's upstream token.
  expect(seen.join('\n')).not.toContain(CANARY);
});

/** Calls a tool and keeps what came back for the canary check. */
async function call(client: Client, name: string, args: unknown, meta?: Record<string, unknown>) {
  const result = await client.callTool({
    name,
    arguments: args as Record<string, unknown>,
    ...(meta ? { _meta: meta } : {}),
  });
  seen.push(JSON.stringify(result));
  return result as CallToolResult;
}

describe('MCP over Streamable HTTP', () => {
  it('needs a bearer token with the operator scope', async () => {
    const post = (token?: string) =>
      fetch(`${server.base}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const none = await post();
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { type: string } }).error.type).toBe('HubAuthError');
    const viewer = await post(TOKENS.viewer);
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: 'FORBIDDEN', requiredScope: 'operator' } });
  });

  it('lists every usable operation as a tool with schemas and annotations, plus search_tools', async () => {
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
    const byName = new Map(tools.map((t) => [t.name, t]));
    const read = byName.get('shop_get_order');
    expect(read?.annotations).toEqual({
      title: 'Shop get order',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(read?.inputSchema).toMatchObject({
      type: 'object',
      properties: { id: { type: 'string', minLength: 1 } },
      required: ['id'],
    });
    expect(read?.inputSchema.properties).not.toHaveProperty('dry_run');
    // The operation's output schema, inside the result envelope.
    expect(read?.outputSchema).toMatchObject({
      type: 'object',
      properties: {
        result: { type: 'object', required: ['id', 'total', 'items'] },
        error: { required: ['type', 'message', 'retryable'] },
      },
      maxProperties: 1,
    });
    const write = byName.get('shop_create_order');
    expect(write?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
    });
    expect(write?.inputSchema.properties).toHaveProperty('dry_run.type', 'boolean');
    expect(write?.description).toContain('dry_run');
    expect(byName.get('search_tools')?.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('calls a read: structuredContent {result} plus the same JSON as text, a request id in _meta', async () => {
    const order = { id: 'o-1', total: 12.5, items: [{ sku: 'A', qty: 2 }] };
    up.on('GET', '/orders/o-1', reply.json(200, order));
    const result = await call(agent, 'shop_get_order', { id: 'o-1' });
    expect(result.isError).toBeUndefined();
    expect(envelope(result)).toEqual({ result: order });
    expect(JSON.parse(textOf(result))).toEqual({ result: order });
    const [request] = up.requestsTo('GET', '/orders/o-1');
    expect(request?.headers.authorization).toBe(`Bearer ${CANARY}`);

    // The call is audited like a REST call, under the id the result names.
    const requestId = result._meta?.['patchbay/requestId'] as string;
    await server.hub.audit.flush();
    const audit = await rest(server.base, 'GET', `/api/audit?requestId=${requestId}`, TOKENS.viewer);
    expect(audit.json.rows).toEqual([
      expect.objectContaining({ integration: 'shop', operation: 'get_order', outcome: 'success' }),
    ]);
  });

  it('calls a read whose result is an array, inside the envelope', async () => {
    up.on('GET', '/orders', reply.json(200, [{ id: 'o-2', total: 1, items: [] }]));
    const result = await call(agent, 'shop_list_orders', { limit: 5 });
    expect(envelope(result)).toEqual({ result: [{ id: 'o-2', total: 1, items: [] }] });
    expect(up.requestsTo('GET', '/orders').at(-1)?.query).toEqual({ limit: '5' });
  });

  it('calls a write: the body reaches the upstream', async () => {
    up.on('POST', '/orders', (req) => reply.json(201, { id: 'o-9', ...(req.json() as object) }));
    const result = await call(agent, 'shop_create_order', { sku: 'A', qty: 3, labels: ['x'] });
    expect(envelope(result)).toEqual({ result: { id: 'o-9', sku: 'A', qty: 3, labels: ['x'] } });
    expect(up.requestsTo('POST', '/orders').at(-1)?.json()).toEqual({ sku: 'A', qty: 3, labels: ['x'] });
  });

  it('answers bad input with a typed isError result naming the fields, and sends nothing', async () => {
    const before = up.requests.length;
    const result = await call(agent, 'shop_create_order', { sku: '', qty: 'many' });
    expect(result.isError).toBe(true);
    const error = envelope(result).error;
    expect(error).toMatchObject({
      type: 'IntegrationValidationError',
      retryable: false,
      httpStatus: 400,
      integration: 'shop',
      operation: 'create_order',
    });
    expect(((error?.issues ?? []) as { path: string }[]).map((i) => i.path).sort()).toEqual(['qty', 'sku']);
    expect(JSON.parse(textOf(result))).toEqual(envelope(result));
    expect(up.requests.length).toBe(before);
  });

  it('tells "retry later" from "fix your input": rate limited, and a dead-lettered write', async () => {
    up.on('GET', '/orders/busy', reply.rateLimited({ retryAfter: 30 }));
    const limited = envelope(await call(agent, 'shop_get_order', { id: 'busy' })).error;
    expect(limited).toMatchObject({ type: 'IntegrationRateLimited', retryable: true, retryAfter: 30 });

    // The upstream's error body echoes our token: the result shows it redacted.
    up.on('POST', '/orders', reply.json(503, { message: `backend down (token ${CANARY})` }));
    const failed = await call(agent, 'shop_create_order', { sku: 'B', qty: 1 });
    const error = envelope(failed).error;
    expect(error).toMatchObject({ type: 'IntegrationTemporaryError', retryable: true, status: 503 });
    expect(error?.deadLetterId).toEqual(expect.any(String));
    const letters = await rest(server.base, 'GET', '/api/dlq', TOKENS.viewer);
    expect(letters.json.rows.map((r: { id: string }) => r.id)).toContain(error?.deadLetterId);
  });

  it('answers an open breaker with a typed CircuitOpenError result, not a protocol error', async () => {
    up.on('GET', '/ping', reply.serverError(503));
    const first = envelope(await call(agent, 'flaky_ping', {})).error;
    const second = envelope(await call(agent, 'flaky_ping', {})).error;
    expect([first?.type, second?.type]).toEqual(['IntegrationTemporaryError', 'IntegrationTemporaryError']);
    const pings = up.requestsTo('GET', '/ping').length;
    const open = await call(agent, 'flaky_ping', {});
    expect(open.isError).toBe(true);
    expect(envelope(open).error).toMatchObject({
      type: 'CircuitOpenError',
      retryable: true,
      httpStatus: 503,
    });
    expect(up.requestsTo('GET', '/ping').length).toBe(pings);
  });

  it('dry-runs a write: shows the request, secrets redacted, and sends nothing', async () => {
    const before = up.requestsTo('POST', '/orders').length;
    const viaArgument = await call(agent, 'shop_create_order', { sku: 'D', qty: 2, dry_run: true });
    expect(viaArgument.isError, textOf(viaArgument)).toBeUndefined();
    expect(envelope(viaArgument)).toEqual({
      dryRun: {
        operation: 'create_order',
        request: expect.objectContaining({
          method: 'POST',
          url: `${up.url}/orders`,
          body: { sku: 'D', qty: 2 },
        }),
      },
    });
    const viaMeta = await call(agent, 'shop_create_order', { sku: 'E', qty: 1 }, { 'patchbay/dryRun': true });
    expect(envelope(viaMeta).dryRun?.request).toMatchObject({ body: { sku: 'E', qty: 1 } });
    expect(up.requestsTo('POST', '/orders').length).toBe(before);
  });

  it('parses arguments sent as JSON strings', async () => {
    up.on('POST', '/orders', (req) => reply.json(201, req.json()));
    // The whole arguments object as a string: the SDK would refuse it before any tool saw it.
    const whole = await call(agent, 'shop_create_order', '{"sku":"S1","qty":1}');
    expect(envelope(whole)).toEqual({ result: { sku: 'S1', qty: 1 } });
    // Wrapped once, as some agent frameworks send it.
    const wrapped = await call(agent, 'shop_create_order', { arguments: '{"sku":"S2","qty":2}' });
    expect(envelope(wrapped)).toEqual({ result: { sku: 'S2', qty: 2 } });
    // A field that wants an object or array sent as a JSON string, a number as a string.
    const fields = await call(agent, 'shop_create_order', {
      sku: 'S3',
      qty: '4',
      meta: '{"note":"gift"}',
      labels: '["a","b"]',
    });
    expect(envelope(fields)).toEqual({
      result: { sku: 'S3', qty: 4, meta: { note: 'gift' }, labels: ['a', 'b'] },
    });
    expect(up.requestsTo('POST', '/orders').at(-1)?.json()).toEqual({
      sku: 'S3',
      qty: 4,
      meta: { note: 'gift' },
      labels: ['a', 'b'],
    });
  });

  it('finds tools with search_tools, with their input schemas', async () => {
    const result = await call(agent, 'search_tools', { query: 'order create' });
    const found = envelope(result).result as {
      tools: { name: string; inputSchema: unknown }[];
      total: number;
    };
    expect(found.tools.map((t) => t.name)).toEqual(['shop_create_order']);
    expect(found.tools[0]?.inputSchema).toMatchObject({ required: ['sku', 'qty'] });
    const chat = envelope(await call(agent, 'search_tools', { query: 'chat', limit: 1 })).result as {
      total: number;
    };
    expect(chat.total).toBe(1);
    const bad = await call(agent, 'search_tools', { query: 'x', limit: 500 });
    expect(envelope(bad).error).toMatchObject({ type: 'HubValidationError', issues: [{ path: 'limit' }] });
  });

  it('refuses an unknown tool with a protocol error that points at search_tools', async () => {
    await expect(agent.callTool({ name: 'shop_nope', arguments: {} })).rejects.toThrow(/search_tools/);
  });

  it('shows a token limited to one integration only its tools, and refuses the others typed', async () => {
    const limited = await connectHttp(server.base, TOKENS.chatOnly);
    try {
      expect(names((await limited.listTools()).tools)).toEqual([
        'chat_list_channels',
        'chat_post_message',
        'search_tools',
      ]);
      const found = envelope(await call(limited, 'search_tools', { query: 'order' })).result as {
        total: number;
      };
      expect(found.total).toBe(0);
      const before = up.requests.length;
      const refused = await call(limited, 'shop_get_order', { id: 'o-1' });
      expect(refused.isError).toBe(true);
      expect(envelope(refused).error).toMatchObject({
        type: 'HubAuthError',
        code: 'FORBIDDEN',
        retryable: false,
      });
      expect(up.requests.length).toBe(before);
    } finally {
      await limited.close();
    }
  });

  it('shows a read-only token only read tools, and refuses writes typed', async () => {
    const reader = await connectHttp(server.base, TOKENS.readOnly);
    try {
      const { tools } = await reader.listTools();
      expect(names(tools)).toEqual([
        'chat_list_channels',
        'flaky_ping',
        'search_tools',
        'shop_get_order',
        'shop_list_orders',
      ]);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const before = up.requestsTo('POST', '/orders').length;
      const refused = await call(reader, 'shop_create_order', { sku: 'X', qty: 1 });
      expect(envelope(refused).error).toMatchObject({ type: 'HubAuthError', code: 'FORBIDDEN' });
      expect(envelope(refused).error?.message).toMatch(/read-only/);
      expect(up.requestsTo('POST', '/orders').length).toBe(before);
    } finally {
      await reader.close();
    }
  });

  it('answers a POST without a session on its own (stateless), as plain JSON', async () => {
    const response = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.readOnly}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { id: number; result: { tools: Tool[] } };
    expect(body.id).toBe(7);
    expect(names(body.result.tools)).toContain('shop_get_order');
    expect(names(body.result.tools)).not.toContain('shop_create_order');
  });

  it('sends notifications/tools/list_changed when an integration is disabled through the REST API', async () => {
    const lists: Tool[][] = [];
    const watcher = await connectHttp(server.base, TOKENS.operator, {
      onToolsChanged: (tools) => lists.push(tools),
    });
    try {
      const limited: Tool[][] = [];
      const chatAgent = await connectHttp(server.base, TOKENS.chatOnly, {
        onToolsChanged: (tools) => limited.push(tools),
      });
      // The shop's tools are not the chat-only token's: its client is not told.
      const off = await rest(server.base, 'POST', '/api/integrations/shop/configure', TOKENS.admin, {
        enabled: false,
      });
      expect(off.status).toBe(200);
      await expect.poll(() => lists.length, { timeout: 5000 }).toBe(1);
      expect(names(lists[0] ?? [])).toEqual([
        'chat_list_channels',
        'chat_post_message',
        'flaky_ping',
        'search_tools',
      ]);
      // A client calling from a stale list learns why, typed.
      const stale = await call(watcher, 'shop_get_order', { id: 'o-1' });
      expect(envelope(stale).error).toMatchObject({ type: 'IntegrationDisabled', retryable: false });

      const on = await rest(server.base, 'POST', '/api/integrations/shop/configure', TOKENS.admin, {
        enabled: true,
      });
      expect(on.status).toBe(200);
      await expect.poll(() => lists.length, { timeout: 5000 }).toBe(2);
      expect(names(lists[1] ?? [])).toContain('shop_create_order');
      // A change of the chat integration does reach the chat-only client.
      await rest(server.base, 'POST', '/api/integrations/chat/configure', TOKENS.admin, { enabled: false });
      await expect.poll(() => limited.length, { timeout: 5000 }).toBe(1);
      expect(names(limited[0] ?? [])).toEqual(['search_tools']);
      expect(lists.length).toBe(3);
      await rest(server.base, 'POST', '/api/integrations/chat/configure', TOKENS.admin, { enabled: true });
      await expect.poll(() => limited.length, { timeout: 5000 }).toBe(2);
      await chatAgent.close();
    } finally {
      await watcher.close();
    }
  });
});
