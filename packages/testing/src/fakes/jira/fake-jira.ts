import { type FakeUpstream, type FakeUpstreamOptions, startFakeUpstream } from '../../fake-upstream.js';
import type { FakeResponse, RecordedRequest } from '../../types.js';
import { jiraError } from './jira-error.js';
import type { FakeJiraData, FakeJiraIssue, FakeJiraUser } from './model.js';
import { commentRoutes } from './routes/comments.js';
import { issueRoutes } from './routes/issues.js';
import { projectRoutes } from './routes/projects.js';
import type { JiraRoute } from './routes/route.js';
import { searchRoutes } from './routes/search.js';
import { userRoutes } from './routes/users.js';
import { workflowRoutes } from './routes/workflow.js';
import { defaultJiraData, FAKE_JIRA_AGENT } from './seed.js';
import { FakeJiraSite } from './site.js';

/** Options of {@link startFakeJira}. */
export interface FakeJiraOptions extends FakeUpstreamOptions {
  /**
   * The email of the Basic credential the fake accepts (the caller of `/myself`).
   * @default 'agent@acme.test'
   */
  email?: string;
  /**
   * The API token of the Basic credential the fake accepts.
   * @default 'fake-jira-api-token'
   */
  apiToken?: string;
  /**
   * Replaces parts of the default site (see `defaultJiraData()`).
   * @example { projects: [{ id: '1', key: 'ONE', name: 'One' }], issues: [] }
   */
  data?: Partial<FakeJiraData>;
  /** The fake's clock, epoch ms: timestamps of new issues and comments, relative JQL dates. @default Date.now */
  now?: () => number;
}

/** One request the fake answered, and what it answered (for contract checks of the fake itself). */
export interface FakeJiraExchange {
  request: RecordedRequest;
  response: {
    status: number;
    headers: Record<string, string | string[]>;
    /** The JSON body sent, `undefined` when there was none (204). */
    body: unknown;
  };
}

/**
 * A fake Jira Cloud site speaking REST v3 on loopback. Start one with {@link startFakeJira}.
 *
 * @example
 * ```ts
 * await using jira = await startFakeJira();
 * jira.rateLimit(30);                       // the next call gets 429, Retry-After: 30
 * expect(jira.issue('PROJ-1')?.status).toBe('To Do');
 * ```
 */
export interface FakeJira extends AsyncDisposable {
  /** The site's base URL, e.g. `http://127.0.0.1:41234` (paths start with `/rest/api/3`). */
  readonly url: string;
  readonly email: string;
  readonly apiToken: string;
  /** The site's live state: seeded records, and whatever requests created or changed. */
  readonly data: FakeJiraData;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Every request the fake's own routes answered, with the response (routes added through
   * `upstream.on` are not in it).
   */
  readonly exchanges: readonly FakeJiraExchange[];
  /** The underlying fake upstream, to script a route the fake does not have. */
  readonly upstream: FakeUpstream;
  /** The requests with exactly this method and path (no query string). */
  requestsTo(method: string, path: string): RecordedRequest[];
  /** An issue by key, as the site holds it now. */
  issue(key: string): FakeJiraIssue | undefined;
  /**
   * The next `times` requests get `429 Too Many Requests` with `Retry-After` (seconds),
   * `X-RateLimit-Reset` (ISO-8601, as Jira sends it) and a Jira error body.
   * @default times 1
   */
  rateLimit(retryAfterSeconds: number, times?: number): void;
  /**
   * The next `times` requests get `status` with a Jira error body (a 503 outage, a 500).
   * @default times 1
   */
  fail(status: number, times?: number): void;
  close(): Promise<void>;
}

const ROUTES: JiraRoute[] = [
  ...projectRoutes,
  ...issueRoutes,
  ...workflowRoutes,
  ...commentRoutes,
  ...searchRoutes,
  ...userRoutes,
];

/**
 * Starts a fake Jira Cloud site: seeded projects, users, issues and a workflow; Basic auth
 * (email and API token); a JQL subset that refuses malformed queries with Jira's 400; real
 * pagination (`startAt`/`maxResults`/`total`/`isLast`, and `nextPageToken` for `/search/jql`);
 * and fault switches.
 *
 * @example
 * ```ts
 * const jira = await startFakeJira({ apiToken: 'tok-123' });
 * const res = await fetch(`${jira.url}/rest/api/3/myself`, {
 *   headers: { authorization: `Basic ${btoa(`${jira.email}:tok-123`)}` },
 * });
 * await jira.close();
 * ```
 */
export async function startFakeJira(options: FakeJiraOptions = {}): Promise<FakeJira> {
  const email = options.email ?? FAKE_JIRA_AGENT.emailAddress!;
  const apiToken = options.apiToken ?? 'fake-jira-api-token';
  const data: FakeJiraData = { ...defaultJiraData(), ...structuredClone(options.data ?? {}) };
  const upstream = await startFakeUpstream(options);
  const site = new FakeJiraSite(data, upstream.url, options.now);
  const caller = callerFor(site, email);
  const expected = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  const faults: Array<() => FakeResponse> = [];
  const exchanges: FakeJiraExchange[] = [];
  const unauthenticated = jiraError(
    401,
    ['You are not authenticated. Authentication required to perform this operation.'],
    {},
    { 'www-authenticate': 'Basic realm="protected-area"' },
  );

  const answer = (route: JiraRoute, request: RecordedRequest): FakeResponse => {
    const fault = faults.shift();
    if (fault) return fault();
    if (request.headers.authorization !== expected) return unauthenticated;
    return route.handle({ request, caller, site });
  };
  const guarded =
    (route: JiraRoute) =>
    (request: RecordedRequest): FakeResponse => {
      const response = answer(route, request);
      exchanges.push({ request, response: exchangeResponse(response) });
      return response;
    };

  // Registered first so every real route wins over it: unknown paths get Jira's 404 body.
  upstream.on('*', '/*', guarded({ method: 'GET', path: '/*', handle: () => jiraError(404, ['Not Found']) }));
  for (const route of ROUTES) upstream.on(route.method, route.path, guarded(route));

  return {
    url: upstream.url,
    email,
    apiToken,
    data,
    upstream,
    get requests() {
      return upstream.requests;
    },
    exchanges,
    requestsTo: (method, path) => upstream.requestsTo(method, path),
    issue: (key) => site.issue(key),
    rateLimit(retryAfterSeconds, times = 1) {
      for (let i = 0; i < times; i++) faults.push(() => rateLimited(retryAfterSeconds, site.now()));
    },
    fail(status, times = 1) {
      for (let i = 0; i < times; i++)
        faults.push(() => jiraError(status, [`The fake Jira failed on purpose (HTTP ${status}).`]));
    },
    close: () => upstream.close(),
    [Symbol.asyncDispose]: () => upstream.close(),
  };
}

/** The user the credential belongs to; a new active user when no seeded one has that email. */
function callerFor(site: FakeJiraSite, email: string): FakeJiraUser {
  const known = site.userByEmail(email);
  if (known) return known;
  const user: FakeJiraUser = { accountId: `fake-${email}`, displayName: email, emailAddress: email };
  site.data.users.push(user);
  return user;
}

function exchangeResponse(response: FakeResponse): FakeJiraExchange['response'] {
  const headers: Record<string, string | string[]> = { ...response.headers };
  if (response.json !== undefined) headers['content-type'] ??= 'application/json';
  return { status: response.status ?? 200, headers, body: response.json };
}

function rateLimited(retryAfterSeconds: number, now: number): FakeResponse {
  return jiraError(
    429,
    ['Rate limit exceeded.'],
    {},
    {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': new Date(now + retryAfterSeconds * 1000).toISOString(),
      'ratelimit-reason': 'jira-burst-based',
    },
  );
}
