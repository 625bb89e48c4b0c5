// MCP sessions across hub processes: a session opened on one hub is resumed by another (no sticky
// routing needed), including its notification stream; and the session-less mode.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, type McpTestHub, rest, startMcpHub, TOKENS } from './mcp.harness.js';

let up: FakeUpstream;
let first: McpTestHub;
let second: McpTestHub;

beforeAll(async () => {
  up = await startFakeUpstream();
  up.on('GET', '/orders/:id', (req) => reply.json(200, { id: req.params.id, total: 1, items: [] }));
  [first, second] = await Promise.all([
    startMcpHub({ upstreamUrl: up.url }),
    startMcpHub({ upstreamUrl: up.url }),
  ]);
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await up?.close();
});

function post(base: string, token: string, sessionId: string, message: unknown) {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
    },
    body: JSON.stringify(message),
  });
}

/** Reads an SSE body until `done(text so far)` holds; returns the text. */
async function readUntil(body: ReadableStream<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('MCP sessions', () => {
  it('resumes a session opened on another hub process, its stream included', async () => {
    const client = await connectHttp(first.base, TOKENS.operator);
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    try {
      // The second hub has never seen this session: it takes it up instead of answering 404.
      const called = await post(second.base, TOKENS.operator, sessionId, {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'shop_get_order', arguments: { id: 'r-1' } },
      });
      expect(called.status).toBe(200);
      expect(called.headers.get('mcp-session-id')).toBe(sessionId);
      const answer = await readUntil(called.body as ReadableStream<Uint8Array>, (t) => t.includes('"id":1'));
      expect(answer).toContain('"structuredContent":{"result":{"id":"r-1","total":1,"items":[]}}');

      const stream = await fetch(`${second.base}/mcp`, {
        headers: {
          authorization: `Bearer ${TOKENS.operator}`,
          accept: 'text/event-stream',
          'mcp-session-id': sessionId,
        },
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      const body = stream.body as ReadableStream<Uint8Array>;
      expect(await readUntil(body, (t) => t.includes('\n\n'))).toContain(': stream open');

      const off = await rest(second.base, 'POST', '/api/integrations/chat/configure', TOKENS.admin, {
        enabled: false,
      });
      expect(off.status).toBe(200);
      expect(await readUntil(body, (t) => t.includes('list_changed'))).toContain(
        '"method":"notifications/tools/list_changed"',
      );

      // The session is its opener's: another token may not use it.
      const other = await post(second.base, TOKENS.readOnly, sessionId, {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/list',
      });
      expect(other.status).toBe(403);

      // Ending it on the second hub ends its stream there.
      const ended = await fetch(`${second.base}/mcp`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${TOKENS.operator}`, 'mcp-session-id': sessionId },
      });
      expect(ended.status).toBe(200);
      await readUntil(body, () => false);
      expect(second.mcp.sessionCount).toBe(0);
      // The first hub's session is untouched.
      expect((await client.listTools()).tools.length).toBeGreaterThan(1);
    } finally {
      await client.close();
    }
  });

  it('without sessions answers each POST on its own, and GET with 405', async () => {
    const stateless = await startMcpHub({ upstreamUrl: up.url, mcp: { sessions: false } });
    try {
      const client = new Client({ name: 'stateless-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(`${stateless.base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKENS.operator}` } },
      });
      await client.connect(transport);
      expect(transport.sessionId).toBeUndefined();
      const result = await client.callTool({ name: 'shop_get_order', arguments: { id: 's-9' } });
      expect(result.structuredContent).toEqual({ result: { id: 's-9', total: 1, items: [] } });
      const get = await fetch(`${stateless.base}/mcp`, {
        headers: { authorization: `Bearer ${TOKENS.operator}`, accept: 'text/event-stream' },
      });
      expect(get.status).toBe(405);
      expect(stateless.mcp.sessionCount).toBe(0);
      await client.close();
    } finally {
      await stateless.close();
    }
  });
});
