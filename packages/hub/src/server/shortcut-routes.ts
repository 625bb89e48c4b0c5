import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationInvoker } from '../operations/operation-invoker.js';
import { queryInput } from '../operations/query-input.js';
import { sendOutcome } from './send-outcome.js';

/**
 * One of seed 002's named routes (`GET /api/integrations/github/repos?query=…`), a shortcut onto an
 * operation: the same validation, limits, audit and errors as `POST …/operations/{operation}`.
 */
export interface ShortcutRoute {
  method: 'GET' | 'POST';
  /** Under `/api/integrations`. */
  url: string;
  integration: string;
  /** The operation, or a choice by input (`GET /jira/projects?name=` finds, without it lists). */
  operation: string | ((input: Record<string, unknown>) => string);
  /** Renames fields the seed's clients send (`project_name` → `name`). */
  rename?: Record<string, string>;
}

/** Seed 002's REST routes (DESIGN.md lists them), each onto its connector's operation. */
export const SEED_002_ROUTES: readonly ShortcutRoute[] = [
  {
    method: 'GET',
    url: '/jira/projects',
    integration: 'jira',
    operation: (input) => (input.name === undefined ? 'list_projects' : 'find_project'),
    rename: { project_name: 'name' },
  },
  { method: 'GET', url: '/jira/projects/:key', integration: 'jira', operation: 'get_project' },
  {
    method: 'GET',
    url: '/jira/issues',
    integration: 'jira',
    operation: 'search_issues',
    rename: { project_key: 'project' },
  },
  {
    method: 'POST',
    url: '/jira/issues',
    integration: 'jira',
    operation: 'create_issue',
    // Seed 002's `create_issue(project_key, summary, **fields)`.
    rename: { project_key: 'projectKey', issue_type: 'issueType' },
  },
  { method: 'GET', url: '/jira/users', integration: 'jira', operation: 'list_users' },
  {
    method: 'GET',
    url: '/github/repos',
    integration: 'github',
    operation: 'search_repositories',
    rename: { q: 'query' },
  },
  { method: 'GET', url: '/github/repos/:owner/:repo', integration: 'github', operation: 'get_repository' },
  { method: 'GET', url: '/github/commits', integration: 'github', operation: 'list_commits' },
  { method: 'POST', url: '/github/issues', integration: 'github', operation: 'create_issue' },
  { method: 'GET', url: '/github/pullrequests', integration: 'github', operation: 'list_pull_requests' },
  { method: 'POST', url: '/slack/message', integration: 'slack', operation: 'send_message' },
  { method: 'GET', url: '/slack/channels', integration: 'slack', operation: 'list_channels' },
  { method: 'GET', url: '/slack/users', integration: 'slack', operation: 'list_users' },
];

function renamed(input: Record<string, unknown>, rename: Record<string, string> | undefined) {
  if (!rename) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const target = rename[key] ?? key;
    if (!(target in out) || target === key) out[target] = value;
  }
  return out;
}

/**
 * Registers the shortcut routes of the integrations this hub serves (a hub without Jira has no
 * `/jira/...` routes, so they answer 404 like any unknown route).
 */
export function registerShortcutRoutes(
  app: FastifyInstance,
  invoker: OperationInvoker,
  served: (integration: string) => boolean,
  routes: readonly ShortcutRoute[] = SEED_002_ROUTES,
): void {
  for (const route of routes) {
    if (!served(route.integration)) continue;
    app.route({
      method: route.method,
      url: `/api/integrations${route.url}`,
      config: { scope: 'operator' },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = (request.params ?? {}) as Record<string, string>;
        let input: unknown;
        let operation: string;
        if (route.method === 'GET') {
          const raw = renamed((request.query ?? {}) as Record<string, unknown>, route.rename);
          operation = typeof route.operation === 'string' ? route.operation : route.operation(raw);
          const { op } = invoker.resolve(route.integration, operation);
          input = { ...queryInput(raw, op.input), ...params };
        } else {
          const body = request.body ?? {};
          // A body that is not an object goes to validation as it is, to be refused by name.
          const fields =
            typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
          input = fields ? { ...renamed(fields, route.rename), ...params } : body;
          operation = typeof route.operation === 'string' ? route.operation : route.operation(fields ?? {});
        }
        const outcome = await invoker.invoke({
          integration: route.integration,
          operation,
          input,
          principal: request.principal,
          requestId: request.id,
          channel: 'rest',
        });
        return sendOutcome(reply, outcome);
      },
    });
  }
}
