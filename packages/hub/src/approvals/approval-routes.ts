import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid, zodIssues } from '../server/hub-errors.js';
import type { ApprovalService } from './approval-service.js';

export interface ApprovalRouteDeps {
  approvals: ApprovalService;
}

const ListQuery = z.strictObject({
  status: z.enum(['pending', 'granted', 'denied', 'expired', 'cancelled', 'abandoned']).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}:.+$/, 'must be the nextCursor of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const DecisionBody = z.strictObject({
  /** Shown to the agent (on a denial) and kept with the approval. */
  reason: z.string().trim().min(1).max(1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string, prefix: string): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalid(`Invalid ${what}`, zodIssues(parsed.error.issues, prefix));
  return parsed.data;
}

/**
 * The approval API:
 * - `GET /api/approvals` (viewer): approvals still waiting, newest first, each with its redacted
 *   input and the request it would send (`?status=granted|denied|expired|cancelled|abandoned`
 *   for the decided ones; `limit`, `cursor`);
 * - `GET /api/approvals/{id}` (viewer);
 * - `POST /api/approvals/{id}/grant` and `/deny` (admin), body `{ "reason"?: "…" }`: 404 for an
 *   unknown id, 409 when it was decided already, expired, or its caller is gone.
 *
 * Also ends the waits of this process when the app closes (before Fastify waits for requests in
 * flight, some of which are those waits).
 */
export function registerApprovalRoutes(app: FastifyInstance, deps: ApprovalRouteDeps): void {
  const { approvals } = deps;

  app.get('/api/approvals', { config: { scope: 'viewer' } }, async (request) => {
    const query = parse(ListQuery, request.query, 'approval query', 'query');
    return approvals.list({
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
  });

  app.get<{ Params: { id: string } }>(
    '/api/approvals/:id',
    { config: { scope: 'viewer' } },
    async (request) => approvals.get(request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/api/approvals/:id/grant',
    { config: { scope: 'admin' } },
    async (request) => {
      const body = parse(DecisionBody, request.body, 'approval decision', 'body');
      return approvals.grant(request.params.id, request.principal, body.reason);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/approvals/:id/deny',
    { config: { scope: 'admin' } },
    async (request) => {
      const body = parse(DecisionBody, request.body, 'approval decision', 'body');
      return approvals.deny(request.params.id, request.principal, body.reason);
    },
  );

  app.addHook('preClose', (done) => {
    approvals.close();
    done();
  });
}
