// Two hubs on one PostgreSQL schema behave as one hub: an agent's call waiting on the first is
// granted or denied through the second's REST API (the decision travels through the database).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectHttp,
  type McpTestHub,
  pendingApproval,
  rest,
  startMcpHub,
  TOKENS,
} from '../mcp/mcp.harness.js';
import { generateMasterKey } from '../secrets/index.js';
import { throwawaySchemas } from '../storage/throwaway-schemas.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
const schemas = throwawaySchemas(url, 'approvals');
const schema = schemas.next();
const envelope = (result: unknown) =>
  (result as CallToolResult).structuredContent as { error?: Record<string, unknown>; result?: unknown };

describe.skipIf(!postgres.available)('approvals across hub processes (PostgreSQL)', () => {
  let up: FakeUpstream;
  let waiting: McpTestHub;
  let deciding: McpTestHub;
  let agent: Client;

  beforeAll(async () => {
    up = await startFakeUpstream();
    up.on('POST', '/orders/:id/refund', (req) => reply.json(200, { refunded: req.params.id }));
    const shared = { upstreamUrl: up.url, databaseUrl: url, schema, masterKey: generateMasterKey() };
    const approval = { required: ['shop.refund_order'], timeoutSeconds: 30 };
    waiting = await startMcpHub({ ...shared, approval });
    deciding = await startMcpHub({ ...shared, approval, createTokens: false });
    agent = await connectHttp(waiting.base, TOKENS.operator);
  });

  afterAll(async () => {
    await agent?.close();
    await waiting?.close();
    await deciding?.close();
    await up?.close();
    await schemas.dropAll();
  });

  it('lets the call go on when the other hub grants it', async () => {
    const call = agent.callTool({ name: 'shop_refund_order', arguments: { id: 'p-1', amount: 5 } });
    const pending = await pendingApproval(deciding.base, 'shop_refund_order');
    expect(pending).toMatchObject({ requestedBy: { name: 'agent' }, request: { body: { amount: 5 } } });
    const granted = await rest(deciding.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin);
    expect(granted.status).toBe(200);
    expect(envelope(await call)).toEqual({ result: { refunded: 'p-1' } });
    expect(up.requestsTo('POST', '/orders/p-1/refund')).toHaveLength(1);
  });

  it('ends the call as denied when the other hub denies it, and one decision wins', async () => {
    const call = agent.callTool({ name: 'shop_refund_order', arguments: { id: 'p-2', amount: 1 } });
    const pending = await pendingApproval(deciding.base, 'shop_refund_order');
    const [deny, grant] = await Promise.all([
      rest(deciding.base, 'POST', `/api/approvals/${pending.id}/deny`, TOKENS.admin, { reason: 'no' }),
      rest(waiting.base, 'POST', `/api/approvals/${pending.id}/grant`, TOKENS.admin),
    ]);
    expect([deny.status, grant.status].sort()).toEqual([200, 409]);
    const result = envelope(await call);
    if (deny.status === 200) {
      expect(result.error).toMatchObject({ type: 'ApprovalDenied', reason: 'no' });
      expect(up.requestsTo('POST', '/orders/p-2/refund')).toHaveLength(0);
    } else {
      expect(result).toEqual({ result: { refunded: 'p-2' } });
    }
  });
});
