import {
  authFromConfig,
  defineIntegration,
  type IntegrationDefinition,
  isIntegrationError,
  type OperationContext,
} from '@patchbay/core';
import { type RestConfig, restAuth, restConfig, restEnv } from './config.js';
import { restGet, restSend } from './rest-operations.js';

export interface RestIntegrationOptions {
  /**
   * The integration's name: its REST routes, tool names and env prefix (`crm` → `CRM_BASE_URL`).
   * @default 'rest'
   */
  name?: string;
  /** Shown on the dashboard and to agents. */
  description?: string;
}

/**
 * Without a health path, any HTTP answer to `GET /` proves the API is reachable, except the ones
 * that say the credential (or our rate) is the problem.
 */
const CREDENTIAL_STATUSES = new Set([401, 403, 407, 429]);

async function restHealth(ctx: OperationContext<RestConfig>): Promise<unknown> {
  if (ctx.config.healthPath !== undefined) return ctx.http.get(ctx.config.healthPath);
  try {
    return await ctx.http.request('GET', '/', { retry: false });
  } catch (error) {
    const status = isIntegrationError(error) ? error.status : undefined;
    if (status !== undefined && status < 500 && !CREDENTIAL_STATUSES.has(status)) return { status };
    throw error;
  }
}

/**
 * A generic REST API as an integration: configured with a base URL, an auth mode (none, bearer,
 * basic, API key in a header or the query), fixed headers and a timeout; usable at once through
 * two operations, `get` (a read) and `send` (a write: POST, PUT, PATCH, DELETE with a JSON body).
 * The hub adds declarative custom tools to it as further operations. Build more than one (a CRM,
 * an internal API) by giving each its own name.
 * @example
 * const crm = restIntegration({ name: 'crm', description: 'Our CRM' }); // CRM_BASE_URL, CRM_TOKEN, …
 * const live = createIntegration(crm, { values: { baseUrl: 'https://crm.internal/api', auth: 'bearer', token } });
 * const { status, body } = await live.call('get', { path: '/customers/42' });
 */
export function restIntegration(options: RestIntegrationOptions = {}) {
  const name = options.name ?? 'rest';
  return defineIntegration({
    name,
    description:
      options.description ?? 'A generic REST API: GET and send JSON to any path under its base URL',
    config: restConfig,
    env: restEnv(name),
    auth: (config) => authFromConfig(restAuth(config)),
    client: (config) => ({
      timeout: config.timeout,
      ...(config.headers ? { defaultHeaders: config.headers } : {}),
    }),
    health: restHealth,
    operations: { get: restGet, send: restSend },
  });
}

/** The generic REST integration named `rest` (env `REST_BASE_URL`, `REST_AUTH`, `REST_TOKEN`, …). */
export const rest = restIntegration();

/**
 * True for a definition built by {@link restIntegration}, also after the hub added custom tools
 * to it (a copy keeps its config schema).
 */
export function isRestIntegration(definition: Pick<IntegrationDefinition, 'config'>): boolean {
  // Every REST integration shares the one config schema; a copy of a definition keeps it.
  return definition.config === restConfig;
}
