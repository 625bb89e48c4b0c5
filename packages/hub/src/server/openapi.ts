import type { IntegrationDefinition } from '@patchbay/core';
import { isSecretSchema } from '@patchbay/core';
import { z } from 'zod';
import { toJsonSchema } from '../tools/json-schema.js';

type Json = Record<string, unknown>;

const ERROR_BODY: Json = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['type', 'message', 'retryable'],
      properties: {
        type: { type: 'string', examples: ['IntegrationRateLimited'] },
        message: { type: 'string' },
        retryable: { type: 'boolean' },
        retryAfter: { type: 'number', description: 'Seconds to wait before trying again' },
        integration: { type: 'string' },
        operation: { type: 'string' },
        code: { type: 'string' },
        issues: {
          type: 'array',
          items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

const errorResponses = (statuses: number[]): Json =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: `Error (${status})`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

/** The config body of `configure`: secret fields are marked write-only. */
function configSchema(definition: IntegrationDefinition): Json {
  // Rebuilt from the shape: a config with cross-field refinements (one of two fields) cannot be
  // made partial, and the configure route takes any subset of fields anyway.
  const schema = toJsonSchema(z.object(definition.config.shape).partial(), 'input');
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  for (const [field, fieldSchema] of Object.entries(definition.config.shape)) {
    if (isSecretSchema(fieldSchema as z.ZodType) && properties[field]) properties[field].writeOnly = true;
  }
  return { type: 'object', properties: { enabled: { type: 'boolean' }, values: schema } };
}

/**
 * The hub's OpenAPI 3.1 document, built from the integrations it serves: every operation's
 * request and response schema comes from its zod declaration, so the docs cannot drift.
 */
/** A hub route outside the integrations' own, as the docs show it. */
export interface DocumentedRoute {
  method: string;
  /** OpenAPI style: `/api/webhooks/sources/{source}`. */
  path: string;
  /** Omitted for open routes (webhook receivers, health). */
  scope?: string;
  summary: string;
  tag?: string;
  body?: z.ZodType;
  query?: z.ZodType;
}

/** The routes every hub has besides the integrations' (agents, approvals, tools, seed 002 shortcuts). */
export const HUB_ROUTES: readonly DocumentedRoute[] = [
  {
    method: 'POST',
    path: '/mcp',
    scope: 'operator',
    summary: 'MCP over Streamable HTTP (JSON-RPC)',
    tag: 'agents',
  },
  {
    method: 'GET',
    path: '/mcp',
    scope: 'operator',
    summary: 'MCP session stream (server-sent events)',
    tag: 'agents',
  },
  { method: 'DELETE', path: '/mcp', scope: 'operator', summary: 'End an MCP session', tag: 'agents' },
  {
    method: 'GET',
    path: '/api/tools',
    scope: 'viewer',
    summary: 'Tool registry (?format=openai|anthropic|gemini)',
    tag: 'agents',
  },
  {
    method: 'POST',
    path: '/api/tools',
    scope: 'admin',
    summary: 'Register a custom tool on a REST integration',
    tag: 'agents',
  },
  { method: 'GET', path: '/api/tools/{tool}', scope: 'viewer', summary: 'One tool', tag: 'agents' },
  {
    method: 'DELETE',
    path: '/api/tools/{tool}',
    scope: 'admin',
    summary: 'Delete a custom tool',
    tag: 'agents',
  },
  {
    method: 'GET',
    path: '/api/approvals',
    scope: 'viewer',
    summary: 'Pending and decided approvals',
    tag: 'agents',
  },
  {
    method: 'POST',
    path: '/api/approvals/{id}/grant',
    scope: 'admin',
    summary: 'Grant a waiting write',
    tag: 'agents',
  },
  {
    method: 'POST',
    path: '/api/approvals/{id}/deny',
    scope: 'admin',
    summary: 'Deny a waiting write',
    tag: 'agents',
  },
];

export function buildOpenApi(
  definitions: readonly IntegrationDefinition[],
  routes: readonly DocumentedRoute[] = [],
): Json {
  const paths: Record<string, Json> = {
    '/api/integrations': {
      get: {
        summary: 'List integrations',
        tags: ['management'],
        responses: { '200': { description: 'Integrations' }, ...errorResponses([401]) },
      },
    },
    '/api/audit': {
      get: {
        summary: 'Audit log (filters, keyset paging)',
        tags: ['management'],
        responses: { '200': { description: 'A page of audit rows' }, ...errorResponses([400, 401]) },
      },
    },
    '/api/dlq': {
      get: {
        summary: 'Dead-letter queue',
        tags: ['management'],
        responses: {
          '200': { description: 'A page of dead letters (inputs hidden)' },
          ...errorResponses([401]),
        },
      },
    },
    '/api/dlq/{id}/replay': {
      post: {
        summary: 'Replay a dead letter with its original idempotency key (admin)',
        tags: ['management'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Replayed' },
          ...errorResponses([401, 403, 404, 409, 429, 502, 503, 504]),
        },
      },
    },
    '/api/dlq/{id}': {
      delete: {
        summary: 'Delete a dead letter (admin)',
        tags: ['management'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'Deleted' }, ...errorResponses([401, 403, 404]) },
      },
    },
  };
  for (const route of routes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = route.query ? toJsonSchema(route.query, 'input') : undefined;
    const queryParams = Object.entries((query?.properties ?? {}) as Record<string, Json>).map(
      ([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }),
    );
    const entry: Json = {
      summary: `${route.summary}${route.scope ? ` (${route.scope})` : ''}`,
      tags: [route.tag ?? 'hub'],
      ...(route.scope ? {} : { security: [] }),
      ...(params.length + queryParams.length > 0 ? { parameters: [...params, ...queryParams] } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        '200': { description: 'OK' },
        ...errorResponses(route.scope ? [400, 401, 403, 404] : [400, 401, 413]),
      },
    };
    paths[route.path] = { ...(paths[route.path] as Json | undefined), [route.method.toLowerCase()]: entry };
  }
  for (const definition of definitions) {
    const name = definition.name;
    paths[`/api/integrations/${name}/configure`] = {
      post: {
        summary: `Configure ${name} (admin; secrets are write-only)`,
        tags: [name],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: configSchema(definition) } },
        },
        responses: { '200': { description: 'Configured' }, ...errorResponses([400, 401, 403]) },
      },
    };
    paths[`/api/integrations/${name}/status`] = {
      get: {
        summary: `Status of ${name}`,
        tags: [name],
        responses: { '200': { description: 'Status' }, ...errorResponses([401, 404]) },
      },
    };
    paths[`/api/integrations/${name}/test`] = {
      post: {
        summary: `Live health check of ${name}`,
        tags: [name],
        responses: { '200': { description: 'Health' }, ...errorResponses([401, 403]) },
      },
    };
    for (const [operation, op] of Object.entries(definition.operations)) {
      const output = op.output ? toJsonSchema(op.output as z.ZodType, 'output') : {};
      paths[`/api/integrations/${name}/operations/${operation}`] = {
        post: {
          operationId: `${name}_${operation}`,
          summary: op.description,
          tags: [name],
          'x-patchbay-kind': op.kind,
          ...(op.kind === 'write'
            ? {
                parameters: [
                  { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } },
                ],
              }
            : {}),
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toJsonSchema(op.input as z.ZodType, 'input') } },
          },
          responses: {
            '200': { description: 'Result', content: { 'application/json': { schema: output } } },
            ...errorResponses([400, 401, 403, 404, 409, 429, 502, 503, 504]),
          },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Patchbay hub',
      version: '0.1.0',
      description: 'Every integration operation, reachable over REST.',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A hub token (admin, operator or viewer)' },
      },
      schemas: { Error: ERROR_BODY },
    },
    paths,
  };
}

/** A plain page for people: the operations by integration, no external assets. */
export function docsPage(document: Json): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = Object.entries(document.paths as Record<string, Record<string, Json>>)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, spec]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(String(spec.summary ?? ''))}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Patchbay hub API</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td{padding:.2rem .8rem;border-bottom:1px solid #ddd}</style></head>
<body><h1>Patchbay hub API</h1><p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI 3.1).
Every <code>/api</code> route needs <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<table>${rows}</table></body></html>`;
}
