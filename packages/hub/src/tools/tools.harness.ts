// A real hub (SQLite in a temp dir, port 0) with the tool registry routes, for this folder's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { github } from '@patchbay/connectors';
import {
  bearer,
  defineIntegration,
  defineOperation,
  type IntegrationDefinition,
  secret,
} from '@patchbay/core';
import { z } from 'zod';
import { loadHubConfig } from '../config/index.js';
import { generateMasterKey } from '../secrets/index.js';
import { hashToken } from '../server/auth.js';
import { createHub, type Hub } from '../server/create-hub.js';
import type { IntegrationHost } from '../server/integration-host.js';
import type { CustomTools } from './custom-tools.js';

/** A generic REST API standing in for the `rest` connector: custom tools are added to it. */
export const api = defineIntegration({
  name: 'api',
  description: 'An internal REST API',
  config: z.object({ baseUrl: z.string().url(), token: secret() }),
  env: { baseUrl: 'API_BASE_URL', token: 'API_TOKEN' },
  auth: (c) => bearer(c.token),
  policies: { retry: { maxRetries: 1, initialDelay: 5, maxDelay: 10 } },
  operations: {
    ping: defineOperation({
      description: 'Check the API answers',
      kind: 'read',
      input: z.object({}),
      run: (ctx) => ctx.http.get('/ping'),
    }),
  },
});

export const API_TOKEN = 'sk-api-UPSTREAM-7734';

export const TOKENS = {
  admin: 'tools-admin-token-0123456789abcdef',
  operator: 'tools-operator-token-0123456789abcdef',
  viewer: 'tools-viewer-token-0123456789abcdef',
  /** viewer, limited to the api integration */
  apiOnly: 'tools-api-only-token-0123456789abcdef',
  /** viewer, read-only */
  readOnly: 'tools-read-only-token-0123456789abcdef',
} as const;

/**
 * Stands in for the one wiring line this folder cannot add to `IntegrationHost`: a
 * `redefine(definition)` that swaps an integration's definition and rebuilds it (`reload`).
 */
export function redefineIn(host: IntegrationHost) {
  return async (definition: IntegrationDefinition) => {
    (host as unknown as { definitions: Map<string, IntegrationDefinition> }).definitions.set(
      definition.name,
      definition,
    );
    return host.reload(definition.name);
  };
}

export interface ToolsTestHub {
  hub: Hub;
  base: string;
  customTools: CustomTools;
  dataDir: string;
  close(): Promise<void>;
}

/** A hub serving `api` (configured against `upstreamUrl`/v1) and GitHub (not configured), with `/api/tools`. */
export async function startToolsHub(options: {
  upstreamUrl: string;
  dataDir?: string;
  masterKey?: string;
  createTokens?: boolean;
}): Promise<ToolsTestHub> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'patchbay-tools-'));
  const config = await loadHubConfig({
    cwd: dataDir,
    env: {
      PATCHBAY_DATA_DIR: dataDir,
      PATCHBAY_LOG_LEVEL: 'silent',
      PATCHBAY_MASTER_KEY: options.masterKey ?? generateMasterKey(),
      PATCHBAY_ADMIN_TOKEN: TOKENS.admin,
      PORT: '0',
      API_BASE_URL: `${options.upstreamUrl}/v1`,
      API_TOKEN,
    },
  });
  const hub = await createHub({
    config,
    integrations: [api, github as unknown as IntegrationDefinition],
    egress: { allow: ['127.0.0.1'] },
    auditFlushIntervalMs: 10,
    customToolsFor: (definition) => definition.name === api.name,
  });
  const { customTools } = hub;
  if (options.createTokens !== false) {
    const tokens = hub.repositories.tokens;
    await tokens.create({ name: 'op', tokenHash: hashToken(TOKENS.operator), scopes: ['operator'] });
    await tokens.create({ name: 'viewer', tokenHash: hashToken(TOKENS.viewer), scopes: ['viewer'] });
    await tokens.create({
      name: 'api only',
      tokenHash: hashToken(TOKENS.apiOnly),
      scopes: ['viewer'],
      integrations: ['api'],
    });
    await tokens.create({
      name: 'reader',
      tokenHash: hashToken(TOKENS.readOnly),
      scopes: ['viewer'],
      readOnly: true,
    });
  }
  const base = await hub.start();
  return {
    hub,
    base,
    customTools,
    dataDir,
    async close() {
      await hub.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the hub answered
  json: any;
}

/** One HTTP request to the hub, with a token when given. */
export async function request(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
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
  return { status: response.status, text, json: json ?? {} };
}
