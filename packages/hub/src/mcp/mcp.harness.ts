// A real hub (SQLite in a temp dir, port 0) with the MCP and approval routes, and SDK clients for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalService, ApprovalSettings } from '../approvals/index.js';
import { loadHubConfig } from '../config/index.js';
import { generateMasterKey } from '../secrets/index.js';
import { hashToken } from '../server/auth.js';
import { createHub, type Hub } from '../server/create-hub.js';
import { integrationEnv, TEST_INTEGRATIONS } from './fixtures/test-integrations.js';
import type { McpHttpHandle, McpHttpOptions } from './http-routes.js';

export const TOKENS = {
  admin: 'mcp-admin-token-0123456789abcdef',
  operator: 'mcp-operator-token-0123456789abcdef',
  viewer: 'mcp-viewer-token-0123456789abcdef',
  /** operator, limited to the chat integration */
  chatOnly: 'mcp-chat-only-token-0123456789abcdef',
  /** operator, read-only */
  readOnly: 'mcp-read-only-token-0123456789abcdef',
} as const;

export interface McpTestHub {
  hub: Hub;
  base: string;
  approvals: ApprovalService;
  mcp: McpHttpHandle;
  dataDir: string;
  close(): Promise<void>;
}

export interface McpTestHubOptions {
  upstreamUrl: string;
  /** Share a data dir (and master key) with another process. @default a new temp dir */
  dataDir?: string;
  masterKey?: string;
  approval?: Partial<ApprovalSettings>;
  /** Create the test tokens in its database. @default true */
  createTokens?: boolean;
  mcp?: McpHttpOptions;
  /** PostgreSQL instead of SQLite; `schema` lets several hubs share one (as processes of one hub do). */
  databaseUrl?: string;
  schema?: string;
}

/** Creates the test tokens but the admin's (seeded from PATCHBAY_ADMIN_TOKEN); once per database. */
export async function createTestTokens(hub: Hub): Promise<void> {
  const tokens = hub.repositories.tokens;
  await tokens.create({ name: 'agent', tokenHash: hashToken(TOKENS.operator), scopes: ['operator'] });
  await tokens.create({ name: 'viewer', tokenHash: hashToken(TOKENS.viewer), scopes: ['viewer'] });
  await tokens.create({
    name: 'chat agent',
    tokenHash: hashToken(TOKENS.chatOnly),
    scopes: ['operator'],
    integrations: ['chat'],
  });
  await tokens.create({
    name: 'reader',
    tokenHash: hashToken(TOKENS.readOnly),
    scopes: ['operator'],
    readOnly: true,
  });
}

/** A hub serving the test integrations against `upstreamUrl`, with `/mcp` and `/api/approvals`. */
export async function startMcpHub(options: McpTestHubOptions): Promise<McpTestHub> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'patchbay-mcp-'));
  const config = await loadHubConfig({
    cwd: dataDir,
    env: {
      PATCHBAY_DATA_DIR: dataDir,
      PATCHBAY_LOG_LEVEL: 'silent',
      PATCHBAY_MASTER_KEY: options.masterKey ?? generateMasterKey(),
      PATCHBAY_ADMIN_TOKEN: TOKENS.admin,
      PORT: '0',
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...integrationEnv(options.upstreamUrl),
      ...(options.approval?.required
        ? { PATCHBAY_APPROVAL_REQUIRED: options.approval.required.join(',') }
        : {}),
      ...(options.approval?.timeoutSeconds === undefined
        ? {}
        : { PATCHBAY_APPROVAL_TIMEOUT: String(options.approval.timeoutSeconds) }),
    },
  });
  const hub = await createHub({
    config,
    integrations: TEST_INTEGRATIONS,
    ...(options.schema ? { storage: { schema: options.schema, poolSize: 4 } } : {}),
    egress: { allow: ['127.0.0.1'] },
    auditFlushIntervalMs: 10,
    approvalPollMs: 50,
    mcp: { approvalProgressMs: 200, ...options.mcp },
  });
  const { approvals, mcp } = hub;
  if (options.createTokens !== false) await createTestTokens(hub);
  const base = await hub.start();
  return {
    hub,
    base,
    approvals,
    mcp,
    dataDir,
    async close() {
      await hub.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ConnectOptions {
  /** Called with the new list after `notifications/tools/list_changed`. */
  onToolsChanged?: (tools: Tool[]) => void;
}

/** The SDK's own client over Streamable HTTP, with a bearer token. */
export async function connectHttp(
  base: string,
  token: string,
  options: ConnectOptions = {},
): Promise<Client> {
  const client = new Client(
    { name: 'patchbay-test', version: '1.0.0' },
    options.onToolsChanged
      ? {
          listChanged: {
            tools: {
              debounceMs: 0,
              onChanged: (error, tools) => {
                if (!error && tools) options.onToolsChanged?.(tools);
              },
            },
          },
        }
      : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

export interface RestAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  json: any;
}

/** One REST call to the hub. */
export async function rest(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<RestAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** Polls the pending approvals (as a viewer) until one for `tool` shows up. */
export async function pendingApproval(base: string, tool: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await rest(base, 'GET', '/api/approvals', TOKENS.viewer);
    const found = (json?.approvals ?? []).find((a: { tool: string }) => a.tool === tool);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no pending approval for ${tool}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
