import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OperationInvoker } from '../operations/operation-invoker.js';
import type { Repositories } from '../storage/index.js';
import { callerSignal } from './caller-signal.js';
import { invalid, notFound, zodIssues } from './hub-errors.js';
import type { HostedIntegration, IntegrationHost } from './integration-host.js';
import { sendOutcome } from './send-outcome.js';

export interface ApiDeps {
  host: IntegrationHost;
  repositories: Repositories;
  invoker: OperationInvoker;
}

const ConfigureBody = z.strictObject({
  enabled: z.boolean().nullable().optional(),
  values: z.record(z.string(), z.unknown()).optional(),
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const AuditQuery = z.strictObject({
  integration: z.string().min(1).optional(),
  operation: z.string().min(1).optional(),
  outcome: z.string().min(1).optional(),
  tokenId: z.string().min(1).optional(),
  requestId: z.string().min(1).optional(),
  from: int(0, Number.MAX_SAFE_INTEGER).optional(),
  to: int(0, Number.MAX_SAFE_INTEGER).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the nextCursor of a previous page')
    .optional(),
  limit: int(1, 1000).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});
const DlqQuery = z.strictObject({
  status: z.enum(['pending', 'replayed', 'failed']).optional(),
  integration: z.string().min(1).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}:.+$/, 'must be the nextCursor of a previous page')
    .optional(),
  limit: int(1, 1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string, prefix?: string): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalid(`Invalid ${what}`, zodIssues(parsed.error.issues, prefix));
  return parsed.data;
}

function hosted(host: IntegrationHost, name: string): HostedIntegration {
  const entry = host.get(name);
  if (!entry) throw notFound(`No integration named ${name} (known: ${host.names().join(', ') || 'none'})`);
  return entry;
}

/** What the API shows of an integration's config: non-secret values, secrets as "***" with when they were set. */
function configView(entry: HostedIntegration) {
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(entry.publicValues)) {
    fields[field] = { value, origin: entry.origins[field] };
  }
  for (const [field, view] of Object.entries(entry.secrets)) fields[field] = view;
  return fields;
}

function summary(entry: HostedIntegration) {
  return {
    name: entry.name,
    description: entry.definition.description ?? '',
    enabled: entry.enabled,
    configured: entry.configured,
    status: entry.integration.status,
    operations: Object.entries(entry.definition.operations).map(([name, op]) => ({
      name,
      description: op.description,
      kind: op.kind,
    })),
  };
}

export function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { host, repositories } = deps;

  app.get('/api/integrations', { config: { scope: 'viewer' } }, async () => ({
    integrations: host
      .names()
      .map((name) => host.get(name))
      .filter((entry): entry is HostedIntegration => entry !== undefined)
      .map(summary),
  }));

  app.post<{ Params: { name: string } }>(
    '/api/integrations/:name/configure',
    { config: { scope: 'admin' } },
    async (request) => {
      hosted(host, request.params.name);
      const body = parse(ConfigureBody, request.body, 'configure request');
      const entry = await host.configure(request.params.name, body);
      request.log.info(
        { integration: entry.name, fields: Object.keys(body.values ?? {}) },
        'integration configured',
      );
      return { ...summary(entry), issues: entry.issues, config: configView(entry) };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/integrations/:name/status',
    { config: { scope: 'viewer' } },
    async (request) => {
      const entry = hosted(host, request.params.name);
      const client = entry.integration.client;
      const status = client ? await client.getStatus() : undefined;
      return {
        ...summary(entry),
        issues: entry.issues,
        egressEnforced: entry.egressEnforced,
        circuitBreaker: status?.circuitBreaker ?? null,
        rateLimit: status?.rateLimit ?? null,
        metrics: client ? client.getMetrics() : null,
        config: configView(entry),
      };
    },
  );

  app.post<{ Params: { name: string } }>(
    '/api/integrations/:name/test',
    { config: { scope: 'operator' } },
    async (request) => {
      const entry = hosted(host, request.params.name);
      const health = await entry.integration.healthCheck();
      return { ...health, healthy: health.status === 'ready' };
    },
  );

  app.post<{ Params: { name: string; operation: string } }>(
    '/api/integrations/:name/operations/:operation',
    { config: { scope: 'operator' } },
    async (request, reply) => callOperation(request, reply, deps.invoker),
  );

  app.get('/api/audit', { config: { scope: 'viewer' } }, async (request) => {
    const query = parse(AuditQuery, request.query, 'audit query', 'query');
    const page = await repositories.audit.query(stripUndefined(query));
    return page;
  });

  app.get('/api/dlq', { config: { scope: 'viewer' } }, async (request) => {
    const query = parse(DlqQuery, request.query, 'dead-letter query', 'query');
    const page = await repositories.deadLetters.list(stripUndefined(query));
    return {
      rows: page.rows.map(({ inputCiphertext: _sealed, ...row }) => ({ ...row, input: '***' })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  });

  app.post<{ Params: { id: string } }>(
    '/api/dlq/:id/replay',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      const { id } = request.params;
      const outcome = await deps.invoker.replay(id, request.id);
      if (!outcome.ok) return sendOutcome(reply, outcome);
      return { id, status: 'replayed', result: outcome.result };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/dlq/:id',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      if (!(await repositories.deadLetters.delete(request.params.id))) {
        throw notFound(`No dead letter ${request.params.id}`);
      }
      reply.code(204);
      return null;
    },
  );
}

function stripUndefined<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

async function callOperation(
  request: FastifyRequest<{ Params: { name: string; operation: string } }>,
  reply: FastifyReply,
  invoker: OperationInvoker,
): Promise<unknown> {
  const { name, operation } = request.params;
  const idempotencyKey = headerValue(request.headers['idempotency-key']);
  const dryRun = dryRunAsked(request.query);
  const outcome = await invoker.invoke({
    integration: name,
    operation,
    input: request.body ?? {},
    principal: request.principal,
    requestId: request.id,
    channel: 'rest',
    signal: callerSignal(reply),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    ...(dryRun ? { dryRun } : {}),
  });
  return sendOutcome(reply, outcome);
}

/** `?dryRun=true` (or `1`): show the write instead of sending it; any other value is a 400. */
function dryRunAsked(query: unknown): boolean {
  const value = (query as { dryRun?: unknown } | undefined)?.dryRun;
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === '') return true;
  throw invalid('Invalid query', [{ path: 'query.dryRun', message: 'must be true or false' }]);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== undefined && first.length > 0 && first.length <= 200 ? first : undefined;
}
