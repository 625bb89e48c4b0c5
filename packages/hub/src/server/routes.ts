import { randomUUID } from 'node:crypto';
import { type IntegrationError, isIntegrationError } from '@patchbay/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { dlqAad, type SecretCipher } from '../secrets/index.js';
import type { AuditWriter, Repositories } from '../storage/index.js';
import { conflict, forbidden, invalid, notFound, zodIssues } from './hub-errors.js';
import type { HostedIntegration, IntegrationHost } from './integration-host.js';
import { redactInput } from './redact-input.js';

export interface ApiDeps {
  host: IntegrationHost;
  repositories: Repositories;
  cipher: SecretCipher;
  audit: AuditWriter;
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
    async (request, reply) => callOperation(request, reply, deps),
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
    async (request) => replayDeadLetter(request.params.id, deps),
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

/**
 * Replays a dead letter: decrypts its input and calls the operation again with the original
 * idempotency key (or one derived from the letter's id, the same on every replay), so an upstream
 * that honours keys applies the write once however often it is replayed.
 */
async function replayDeadLetter(id: string, deps: ApiDeps): Promise<unknown> {
  const { host, repositories, cipher } = deps;
  const letter = await repositories.deadLetters.get(id);
  if (!letter) throw notFound(`No dead letter ${id}`);
  if (letter.status === 'replayed') {
    throw conflict(`Dead letter ${id} was already replayed`);
  }
  const entry = hosted(host, letter.integration);
  const input: unknown = JSON.parse(cipher.decrypt(letter.inputCiphertext, dlqAad(id)));
  const idempotencyKey = letter.idempotencyKey ?? `dlq-${id}`;
  try {
    const result = await entry.integration.call(letter.operation, input as never, { idempotencyKey });
    await repositories.deadLetters.markReplayed(id);
    return { id, status: 'replayed', result: result ?? null };
  } catch (error) {
    await repositories.deadLetters.markFailed(
      id,
      isIntegrationError(error) ? error.toJSON() : { type: 'Error' },
    );
    throw error;
  }
}

function stripUndefined<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

async function callOperation(
  request: FastifyRequest<{ Params: { name: string; operation: string } }>,
  reply: FastifyReply,
  deps: ApiDeps,
): Promise<unknown> {
  const { host, repositories, cipher, audit } = deps;
  const { name, operation } = request.params;
  const entry = hosted(host, name);
  const op = Object.hasOwn(entry.definition.operations, operation)
    ? entry.definition.operations[operation]
    : undefined;
  if (!op) {
    throw notFound(
      `Integration ${name} has no operation ${operation} (operations: ${Object.keys(entry.definition.operations).join(', ')})`,
    );
  }
  if (op.kind === 'write' && request.principal?.readOnly) {
    throw forbidden(`This token is read-only; ${name}.${operation} is a write`);
  }
  const input = request.body ?? {};
  const idempotencyKey = headerValue(request.headers['idempotency-key']);
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) controller.abort(new Error('client went away'));
  };
  reply.raw.once('close', onClose);
  const started = performance.now();
  let failure: unknown;
  let result: unknown;
  try {
    result = await entry.integration.call(operation, input as never, {
      signal: controller.signal,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
  } catch (error) {
    failure = error;
  } finally {
    reply.raw.off('close', onClose);
  }
  const durationMs = performance.now() - started;
  const integrationError = isIntegrationError(failure) ? (failure as IntegrationError) : undefined;
  audit
    .record({
      requestId: request.id,
      tokenId: request.principal?.id ?? null,
      integration: name,
      operation,
      outcome: failure === undefined ? 'success' : (integrationError?.outcome ?? 'error'),
      errorType: failure === undefined ? null : (integrationError?.type ?? 'Error'),
      durationMs,
      inputRedacted: redactInput(input, op.input),
    })
    .catch((error) => request.log.error({ err: error }, 'audit row not written'));
  if (failure === undefined) return result ?? null;

  if (
    op.kind === 'write' &&
    integrationError?.type !== 'IntegrationValidationError' &&
    !controller.signal.aborted
  ) {
    const id = randomUUID();
    const errorJson = integrationError
      ? integrationError.toJSON()
      : { type: 'Error', message: 'unexpected error', retryable: false };
    // Committed before the caller hears of the failure: an acknowledged dead letter is durable.
    const letter = await repositories.deadLetters.add({
      id,
      integration: name,
      operation,
      inputCiphertext: cipher.encrypt(JSON.stringify(input), dlqAad(id)),
      idempotencyKey: idempotencyKey ?? null,
      error: errorJson,
      attempts: integrationError?.attempts ?? 1,
      requestId: request.id,
    });
    request.log.warn(
      { integration: name, operation, deadLetterId: letter.id },
      'write failed; dead-lettered',
    );
    if (integrationError) {
      return reply
        .code(integrationError.httpStatus)
        .send({ error: { ...errorJson, httpStatus: integrationError.httpStatus, deadLetterId: letter.id } });
    }
  }
  throw failure;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== undefined && first.length > 0 && first.length <= 200 ? first : undefined;
}
