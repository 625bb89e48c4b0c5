import { type FakeUpstream, startFakeUpstream } from '../../fake-upstream.js';
import type { FakeMethod, FakeResponse, RecordedRequest, Responder } from '../../types.js';
import { defaultGitHubSeed } from './default-seed.js';
import { badCredentials, basicError, requiresAuthentication } from './errors.js';
import { type FaultQueue, primaryLimitResponse, secondaryLimitResponse } from './faults.js';
import { withHeaders } from './headers.js';
import { QuotaBook } from './quota.js';
import { commitRoutes } from './routes/commits.js';
import type { GitHubRoute, GitHubRouteContext } from './routes/context.js';
import { issueRoutes } from './routes/issues.js';
import { pullRoutes } from './routes/pulls.js';
import { rateLimitRoutes } from './routes/rate-limit.js';
import { repositoryRoutes } from './routes/repositories.js';
import { searchRoutes } from './routes/search.js';
import type { FakeGitHubSeed } from './seed.js';
import { GitHubWorld } from './world.js';

/** The API versions the fake accepts in `X-GitHub-Api-Version`, as GitHub.com does. */
const SUPPORTED_API_VERSIONS = new Set(['2022-11-28', '2026-03-10']);

export interface FakeGitHubOptions {
  /** What the fake serves. @default defaultGitHubSeed() */
  seed?: FakeGitHubSeed;
  /**
   * The one token the fake accepts, as `Authorization: Bearer <token>` (or GitHub's older
   * `token <token>`).
   * @default 'ghp_fake0000000000000000000000000000000000'
   */
  token?: string;
  /** The account the token belongs to: the author of issues and comments it creates. @default 'octocat' */
  login?: string;
  /**
   * Serve under a path, as GitHub Enterprise Server does.
   * @default ''
   * @example '/api/v3'
   */
  basePath?: string;
  /** Primary rate limits per window. @default { core: 5000, search: 30 } */
  rateLimits?: { core?: number; search?: number };
  /** Where to listen. @default '127.0.0.1' on a free port */
  host?: string;
  port?: number;
}

/** One request the fake answered and what it answered. */
export interface FakeGitHubExchange {
  request: RecordedRequest;
  response: { status: number; headers: Record<string, string | string[]>; body: unknown };
}

export interface PrimaryRateLimitOptions {
  /** Seconds until `x-ratelimit-reset`. @default 1800 */
  resetInSeconds?: number;
  /** GitHub answers 403, sometimes 429. @default 403 */
  status?: 403 | 429;
}

export interface SecondaryRateLimitOptions {
  /** @default 403 */
  status?: 403 | 429;
}

/**
 * A GitHub REST API on loopback, in GitHub's wire format, over a {@link FakeUpstream}: seeded
 * repositories, commits, issues and pull requests it serves and changes, real `Link`
 * pagination, `x-ratelimit-*` on every response, and switches for rate-limit faults.
 *
 * @example
 * ```ts
 * await using gh = await startFakeGitHub();
 * const res = await fetch(`${gh.url}/repos/octo-org/hello-world/issues?per_page=2`, {
 *   headers: { authorization: `Bearer ${gh.token}`, 'user-agent': 'test' },
 * });
 * res.headers.get('link'); // <http://127.0.0.1:…/repos/octo-org/hello-world/issues?per_page=2&page=2>; rel="next", …
 * gh.secondaryRateLimit(60); // the next call gets a 403 with retry-after: 60
 * ```
 */
export interface FakeGitHub extends AsyncDisposable {
  /** The API base URL to configure a client with: the origin plus any `basePath`. */
  readonly url: string;
  /** The server's origin, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  readonly token: string;
  /** The fake's state: repositories, issues and comments, as created and changed. */
  readonly world: GitHubWorld;
  /** The underlying fake upstream (request log, connection count, raw routes). */
  readonly upstream: FakeUpstream;
  /** Every request received, in order. Paths include the `basePath`. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Every request the fake's own routes answered, with the answer as sent (scripted `on` routes
   * are not in it): for checking the fake against GitHub's API description.
   */
  readonly exchanges: readonly FakeGitHubExchange[];
  /** The requests with this method and GitHub path (the `basePath` is added for you). */
  requestsTo(method: string, path: string): RecordedRequest[];
  /**
   * Scripts a route over the fake's own (newest wins), at a GitHub path (the `basePath` is
   * added). Scripted answers are sent as given, without rate-limit headers.
   */
  on(method: FakeMethod, path: string, first: Responder, ...then: Responder[]): this;
  /**
   * The next request to any of the fake's routes gets this answer instead (with GitHub's headers
   * and the rate-limit headers added), e.g. a 502 to see a retry.
   * @example gh.failNext({ status: 502, json: { message: 'Server Error' } })
   */
  failNext(response: FakeResponse): this;
  /** The next request gets GitHub's primary-limit answer: 403, `x-ratelimit-remaining: 0`, a reset time. */
  primaryRateLimit(options?: PrimaryRateLimitOptions): this;
  /**
   * The next request gets GitHub's secondary-limit answer: 403 with "You have exceeded a secondary
   * rate limit", and `retry-after` when seconds are given (GitHub sometimes sends none).
   */
  secondaryRateLimit(retryAfterSeconds?: number, options?: SecondaryRateLimitOptions): this;
  close(): Promise<void>;
}

/** Starts a {@link FakeGitHub}. Close it with `await gh.close()` or `await using`. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const upstream = await startFakeUpstream({
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const token = options.token ?? 'ghp_fake0000000000000000000000000000000000';
  const world = new GitHubWorld(options.seed ?? defaultGitHubSeed());
  const actor = world.user(options.login ?? 'octocat');
  const quota = new QuotaBook({
    core: options.rateLimits?.core ?? 5000,
    search: options.rateLimits?.search ?? 30,
  });
  const faults: FaultQueue = [];
  const ctx: GitHubRouteContext = {
    world,
    hosts: { api: upstream.url + basePath, html: upstream.url },
    origin: upstream.url,
    actor: actor.login,
  };

  const exchanges: FakeGitHubExchange[] = [];
  const answer = (route: GitHubRoute, request: RecordedRequest): FakeResponse => {
    const resource = route.resource ?? 'core';
    const refused = refuse(request, token);
    if (refused) return withHeaders(refused, quota.headers(resource));
    const fault = faults.shift();
    if (fault) return fault(quota, resource, actor.id);
    if (route.resource && !quota.take(route.resource)) {
      return primaryLimitResponse(quota, route.resource, actor.id, 403);
    }
    return withHeaders(route.handle(ctx, request), quota.headers(resource));
  };

  const serve = (route: GitHubRoute, request: RecordedRequest): FakeResponse => {
    const response = answer(route, request);
    exchanges.push({
      request,
      response: { status: response.status ?? 200, headers: response.headers ?? {}, body: response.json },
    });
    return response;
  };

  const routes = [
    ...searchRoutes,
    ...repositoryRoutes,
    ...commitRoutes,
    ...issueRoutes,
    ...pullRoutes,
    ...rateLimitRoutes(quota),
  ];
  for (const route of routes) upstream.on(route.method, basePath + route.path, (req) => serve(route, req));

  const fake: FakeGitHub = {
    url: upstream.url + basePath,
    origin: upstream.url,
    token,
    world,
    upstream,
    get requests() {
      return upstream.requests;
    },
    exchanges,
    requestsTo: (method, path) => upstream.requestsTo(method, basePath + path),
    on(method, path, first, ...then) {
      upstream.on(method, basePath + path, first, ...then);
      return fake;
    },
    failNext(response) {
      faults.push((q, resource) => withHeaders(response, q.headers(resource)));
      return fake;
    },
    primaryRateLimit(limit = {}) {
      faults.push((q, resource, userId) =>
        primaryLimitResponse(q, resource, userId, limit.status ?? 403, limit.resetInSeconds ?? 1800),
      );
      return fake;
    },
    secondaryRateLimit(retryAfterSeconds, limit = {}) {
      faults.push((q, resource) =>
        secondaryLimitResponse(q, resource, limit.status ?? 403, retryAfterSeconds),
      );
      return fake;
    },
    close: () => upstream.close(),
    [Symbol.asyncDispose]: () => upstream.close(),
  };
  return fake;
}

/** What GitHub refuses before routing: no User-Agent, an unknown API version, a bad token. */
function refuse(request: RecordedRequest, token: string): FakeResponse | undefined {
  if (!request.headers['user-agent']) {
    return basicError(
      403,
      'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
      'https://docs.github.com/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent',
    );
  }
  const version = request.headers['x-github-api-version'];
  if (typeof version === 'string' && !SUPPORTED_API_VERSIONS.has(version)) {
    return basicError(400, `API version '${version}' is not supported.`);
  }
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return requiresAuthentication();
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(authorization);
  return match?.[1] === token ? undefined : badCredentials();
}
