// Approvals end to end: an agent's MCP call to a write that needs approval waits while an admin
// decides through the REST API of the same hub (the cross-process case is in mcp-stdio's test).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../mcp/fixtures/test-integrations.js';
import {
  connectHttp,
  type McpTestHub,
  pendingApproval,
  rest,
  startMcpHub,
  TOKENS,
} from '../mcp/mcp.harness.js';

type Envelope = { result?: unknown; error?: Record<string, unknown>; dryRun?: Record<string, unknown> };
const envelope = (result: unknown) => (result as CallToolResult).structuredContent as Envelope;
const REFUND = 'shop_refund_order';
const REFUND_PATH = (id: string) => `/orders/${id}/refund`;

let up: FakeUpstream;
let server: McpTestHub;
let agent: Client;

beforeAll(async () => {
  up = await startFakeUpstream();
  up.on('POST', '/orders/:id/refund', (req) =>
    reply.json(200, { refunded: req.params.id, ...(req.json() as object) }),
  );
  server = await startMcpHub({
    upstreamUrl: up.url,
    approval: { required: ['shop.refund_*', 'chat.*'], timeoutSeconds: 4 },
  });
  agent = await connectHttp(server.base, TOKENS.operator);
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
  await up?.close();
});

describe('approvals', () => {
  it('marks the tools that need approval in their description and _meta', async () => {
    const { tools } = await agent.listTools();
    const refund = tools.find((t) => t.name === REFUND);
    expect(refund?._meta).toEqual({
      'patchbay/approvalRequired': true,
      'patchbay/approvalTimeoutSeconds': 4,
    });
    expect(refund?.description).toMatch(/Needs an admin's approval: the call waits up to 4 s/);
    // Patterns only put writes behind approval: chat.* leaves the read alone.
    expect(tools.find((t) => t.name === 'chat_list_channels')?._meta).toBeUndefined();
    expect(tools.find((t) => t.name === 'chat_post_message')?._meta).toMatchObject({
      'patchbay/approvalRequired': true,
    });
  });

  it('holds the write until an admin grants it, showing them the input and the request it would send', async () => {
    const progress: string[] = [];
    const call = agent.callTool({ name: REFUND, arguments: { id: 'o-5', amount: 7 } }, undefined, {
      onprogress: (p) => progress.push(p.message ?? ''),
    });
    const pending = await pendingApproval(server.base, REFUND);
    expect(pending).toMatchObject({
      status: 'pending',
      integration: 'shop',
      operation: 'refund_order',
      channel: 'mcp',
      requestedBy: { name: 'agent' },
      input: { id: 'o-5', amount: 7 },
      request: { method: 'POST', url: `${up.url}${REFUND_PATH('o-5')}`, body: { amount: 7 } },
      decidedBy: null,
    });
    expect(JSON.stringify(pending)).not.toContain(CANARY);
    expect(up.requestsTo('POST', REFUND_PATH('o-5'))).toHaveLength(0);
    // The client that asked for progress hears which approval it waits for.
    await expect.poll(() => progress.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(progress[0]).toContain(`approval ${pending.id}`);

    const byOperator = await rest(server.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.operator);
    expect(byOperator.status).toBe(403);
    const granted = await rest(server.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin, {
      reason: 'looks right',
    });
    expect(granted.status).toBe(200);
    expect(granted.json).toMatchObject({
      status: 'granted',
      reason: 'looks right',
      decidedBy: { name: expect.any(String) },
    });

    const result = await call;
    expect(envelope(result)).toEqual({ result: { refunded: 'o-5', amount: 7 } });
    expect(up.requestsTo('POST', REFUND_PATH('o-5'))).toHaveLength(1);
    const again = await rest(server.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin);
    expect(again.status).toBe(409);
    const decided = await rest(server.base, 'GET', '/api/approvals?status=granted', TOKENS.viewer);
    expect(decided.json.approvals.map((a: { id: string }) => a.id)).toContain(pending.id);
  });

  it('ends the call with a typed ApprovalDenied result carrying the reason, and sends nothing', async () => {
    const call = agent.callTool({ name: REFUND, arguments: { id: 'o-6', amount: 1 } });
    const pending = await pendingApproval(server.base, REFUND);
    const denied = await rest(server.base, 'POST', `/api/approvals/${pending.id}/deny`, TOKENS.admin, {
      reason: 'not before the audit',
    });
    expect(denied.json).toMatchObject({ status: 'denied', reason: 'not before the audit' });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(envelope(result).error).toEqual({
      type: 'ApprovalDenied',
      message: expect.stringContaining('not before the audit'),
      retryable: false,
      httpStatus: 403,
      code: 'APPROVAL_DENIED',
      approvalId: pending.id,
      integration: 'shop',
      operation: 'refund_order',
      reason: 'not before the audit',
    });
    expect(up.requestsTo('POST', REFUND_PATH('o-6'))).toHaveLength(0);
    await server.hub.audit.flush();
    const audit = await rest(server.base, 'GET', '/api/audit?outcome=approval_denied', TOKENS.viewer);
    expect(audit.json.rows).toEqual([
      expect.objectContaining({
        integration: 'shop',
        operation: 'refund_order',
        errorType: 'ApprovalDenied',
      }),
    ]);
  });

  it('times out with a typed ApprovalTimedOut result; a late grant is refused', async () => {
    const result = (await agent.callTool({
      name: REFUND,
      arguments: { id: 'o-7', amount: 2 },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    const error = envelope(result).error;
    expect(error).toMatchObject({ type: 'ApprovalTimedOut', retryable: false, code: 'APPROVAL_TIMED_OUT' });
    const approval = await rest(server.base, 'GET', `/api/approvals/${error?.approvalId}`, TOKENS.viewer);
    expect(approval.json.status).toBe('expired');
    const late = await rest(server.base, 'POST', `/api/approvals/${error?.approvalId}/grant`, TOKENS.admin);
    expect(late.status).toBe(409);
    expect(up.requestsTo('POST', REFUND_PATH('o-7'))).toHaveLength(0);
  });

  it('cancels the approval at once when the caller cancels its call', async () => {
    const controller = new AbortController();
    const call = agent.callTool({ name: REFUND, arguments: { id: 'o-8', amount: 3 } }, undefined, {
      signal: controller.signal,
    });
    const pending = await pendingApproval(server.base, REFUND);
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect
      .poll(
        async () =>
          (await rest(server.base, 'GET', `/api/approvals/${pending.id}`, TOKENS.viewer)).json.status,
      )
      .toBe('cancelled');
    const grant = await rest(server.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin);
    expect(grant.status).toBe(409);
    expect(up.requestsTo('POST', REFUND_PATH('o-8'))).toHaveLength(0);
  });

  it('cancels the approval when the client goes away without a word (its connection closes)', async () => {
    const sessionId = (agent.transport as StreamableHTTPClientTransport).sessionId as string;
    const gone = new AbortController();
    const response = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      signal: gone.signal,
      headers: {
        authorization: `Bearer ${TOKENS.operator}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'raw-1',
        method: 'tools/call',
        params: { name: REFUND, arguments: { id: 'o-11', amount: 3 } },
      }),
    });
    expect(response.status).toBe(200);
    const pending = await pendingApproval(server.base, REFUND);
    gone.abort();
    await expect
      .poll(
        async () =>
          (await rest(server.base, 'GET', `/api/approvals/${pending.id}`, TOKENS.viewer)).json.status,
      )
      .toBe('cancelled');
    expect(up.requestsTo('POST', REFUND_PATH('o-11'))).toHaveLength(0);
  });

  it('does not ask anyone for a dry run or for input that is invalid anyway', async () => {
    const dry = await agent.callTool({ name: REFUND, arguments: { id: 'o-9', amount: 4, dry_run: true } });
    expect(envelope(dry).dryRun).toMatchObject({ request: { method: 'POST', body: { amount: 4 } } });
    const invalid = await agent.callTool({ name: REFUND, arguments: { id: 'o-9', amount: -4 } });
    expect(envelope(invalid).error).toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'amount' }],
    });
    const pending = await rest(server.base, 'GET', '/api/approvals', TOKENS.viewer);
    expect(pending.json.approvals).toEqual([]);
    expect(up.requestsTo('POST', REFUND_PATH('o-9'))).toHaveLength(0);
  });

  it('does not let the token that asked grant its own call', async () => {
    const adminAgent = await connectHttp(server.base, TOKENS.admin);
    try {
      const call = adminAgent.callTool({
        name: 'chat_post_message',
        arguments: { channel: 'ops', text: 'hi' },
      });
      const pending = await pendingApproval(server.base, 'chat_post_message');
      const self = await rest(server.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin);
      expect(self.status).toBe(403);
      expect(self.json.error).toMatchObject({ type: 'HubAuthError', code: 'FORBIDDEN' });
      await rest(server.base, 'POST', `/api/approvals/${pending.id}/deny`, TOKENS.admin);
      expect(envelope(await call).error).toMatchObject({ type: 'ApprovalDenied' });
    } finally {
      await adminAgent.close();
    }
  });

  it('refuses to grant an approval whose caller is gone (its process died)', async () => {
    const now = Date.now();
    await server.hub.repositories.approvals.create({
      id: 'orphan-1',
      createdAt: now - 60_000,
      expiresAt: now + 60_000,
      integration: 'shop',
      operation: 'refund_order',
      channel: 'bus',
      input: { id: 'o-10', amount: 1 },
      preview: { request: null },
    });
    const grant = await rest(server.base, 'POST', '/api/approvals/orphan-1/grant', TOKENS.admin);
    expect(grant.status).toBe(409);
    expect(grant.json.error.message).toMatch(/gone/);
    const row = await rest(server.base, 'GET', '/api/approvals/orphan-1', TOKENS.viewer);
    expect(row.json.status).toBe('abandoned');
    expect((await rest(server.base, 'GET', '/api/approvals/nope', TOKENS.viewer)).status).toBe(404);
    const bad = await rest(server.base, 'GET', '/api/approvals?status=maybe', TOKENS.viewer);
    expect(bad.json.error).toMatchObject({ type: 'HubValidationError', issues: [{ path: 'query.status' }] });
  });
});
