import type { FakeResponse, RecordedRequest } from '../../../types.js';
import type { RepositoryRecord } from '../model.js';
import { pageOf } from '../paging.js';
import type { QuotaResource } from '../quota.js';
import type { Hosts } from '../wire/user.js';
import type { GitHubWorld } from '../world.js';

/** What every route of the fake sees besides the request. */
export interface GitHubRouteContext {
  world: GitHubWorld;
  hosts: Hosts;
  /** The fake's origin, for `Link` URLs. */
  origin: string;
  /** The login the accepted token belongs to. */
  actor: string;
}

/** One REST endpoint of the fake; `path` is GitHub's own, without an Enterprise base path. */
export interface GitHubRoute {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /** The rate-limit bucket the request counts against; `null` for endpoints GitHub does not count. */
  resource: QuotaResource | null;
  handle(ctx: GitHubRouteContext, request: RecordedRequest): FakeResponse;
}

/** A query parameter's first value. */
export function queryParam(request: RecordedRequest, name: string): string | undefined {
  const raw = request.query[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/**
 * The repository named by the route's `:owner` and `:repo`, or undefined (answer 404): a private
 * repository is visible only to its collaborators, and GitHub says 404, not 403, to the others.
 */
export function repoOf(ctx: GitHubRouteContext, request: RecordedRequest): RepositoryRecord | undefined {
  const { owner, repo } = request.params;
  const found = owner && repo ? ctx.world.repository(owner, repo) : undefined;
  return found && canSee(ctx, found) ? found : undefined;
}

export function canSee(ctx: GitHubRouteContext, repo: RepositoryRecord): boolean {
  return !repo.private || repo.collaborators.has(ctx.actor);
}

/** A JSON list answered one page at a time, with GitHub's `Link` header. */
export function listPage(
  ctx: GitHubRouteContext,
  request: RecordedRequest,
  items: readonly unknown[],
): FakeResponse {
  const page = pageOf(items, request, ctx.origin);
  return { status: 200, json: page.items, ...(page.link ? { headers: { link: page.link } } : {}) };
}

/** Newest first by a timestamp field, or oldest first with `direction=asc`. */
export function sortByTime<T>(items: T[], time: (item: T) => string, direction: string | undefined): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return items.sort((a, b) => sign * (Date.parse(time(a)) - Date.parse(time(b))));
}

/** The request's JSON body as an object, or undefined when it is not one (answer 400). */
export function jsonObject(request: RecordedRequest): Record<string, unknown> | undefined {
  try {
    const body = request.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
