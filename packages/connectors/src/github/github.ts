import { bearer, defineIntegration } from '@patchbay/core';
import { GitHubConfigSchema } from './config.js';
import { compare_commits, get_commit, list_commits } from './operations/commits.js';
import {
  comment_on_issue,
  create_issue,
  get_issue,
  list_issue_comments,
  list_issues,
  update_issue,
} from './operations/issues.js';
import { get_pull_request, list_pull_requests } from './operations/pull-requests.js';
import {
  get_file_contents,
  get_repository,
  list_branches,
  search_repositories,
} from './operations/repositories.js';

/** The REST API version every request asks for; GitHub answers in that version's shapes. */
export const GITHUB_API_VERSION = '2022-11-28';

/**
 * GitHub (github.com and GitHub Enterprise Server) over its REST API: repositories and search,
 * commits and comparisons for code analysis, issues and comments, pull requests with their
 * changed files. Configured from `GITHUB_TOKEN` and `GITHUB_API_URL` (seed 002).
 *
 * @example
 * const gh = createIntegration(github, { env: process.env });
 * const { items } = await gh.call('list_issues', { owner: 'octo-org', repo: 'hello-world', labels: ['bug'] });
 * const pr = await gh.call('get_pull_request', { owner: 'octo-org', repo: 'hello-world', pull_number: 5 });
 * pr.additions; pr.files_by_status; // { added: 2, modified: 1, renamed: 1 }
 */
export const github = defineIntegration({
  name: 'github',
  description: 'GitHub repositories, commits, issues and pull requests (github.com or Enterprise Server)',
  config: GitHubConfigSchema,
  env: { token: 'GITHUB_TOKEN', baseUrl: 'GITHUB_API_URL' },
  auth: (config) => bearer(config.token),
  client: {
    defaultHeaders: {
      accept: 'application/vnd.github+json',
      'x-github-api-version': GITHUB_API_VERSION,
      // GitHub refuses requests without a User-Agent.
      'user-agent': 'patchbay-github/0.1',
    },
    // GitHub ignores Idempotency-Key: a retried POST would create a second issue or comment.
    idempotencyHeader: false,
  },
  policies: {
    // Reads and PATCHes retry on 5xx and network failures; a rate limit waits as long as GitHub
    // asks, up to the kernel's cap, beyond which the caller gets IntegrationRateLimited at once.
    retry: { maxRetries: 3, initialDelay: 1000, maxDelay: 30_000 },
    circuitBreaker: { failureThreshold: 5, minimumCalls: 10, recoveryTimeout: 30_000 },
    // GitHub's primary limit for a token: 5000 requests an hour. The burst stays under the
    // secondary limit of 900 REST points a minute; the upstream's own x-ratelimit-* headers
    // pause every caller once it says none are left.
    rateLimit: { maxRequests: 5000, windowSeconds: 3600, burstSize: 900 },
  },
  // Free: GitHub does not count /rate_limit against the quota, and it needs a valid token.
  health: (ctx) => ctx.http.get('/rate_limit'),
  operations: {
    search_repositories,
    get_repository,
    list_branches,
    get_file_contents,
    list_commits,
    get_commit,
    compare_commits,
    list_issues,
    get_issue,
    create_issue,
    update_issue,
    comment_on_issue,
    list_issue_comments,
    list_pull_requests,
    get_pull_request,
  },
});
