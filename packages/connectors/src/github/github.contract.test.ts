import { contractRequestOf, type FakeGitHubExchange, vendorContract } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import type { github } from './github.js';
import { type GitHubUnderTest, startGitHubUnderTest } from './github-test-kit.js';

/**
 * Both sides against GitHub's own OpenAPI description (`@octokit/openapi`): every request the
 * connector sends, and every answer the fake gives it. A connector that invents a parameter, or a
 * fake that drifts from GitHub's shapes, fails here.
 */
const contract = vendorContract('github');
const REPO = { owner: 'octo-org', repo: 'hello-world' };

type OperationName = keyof (typeof github)['operations'];

/** Every operation, driven with the inputs that exercise most of its request (one entry each, or this fails to compile). */
const drives: Record<OperationName, (t: GitHubUnderTest) => Promise<unknown>> = {
  search_repositories: (t) =>
    t.gh.call('search_repositories', { query: 'cli language:go', sort: 'stars', order: 'desc', limit: 3 }),
  get_repository: (t) => t.gh.call('get_repository', REPO),
  list_branches: (t) => t.gh.call('list_branches', { ...REPO, protected: false, limit: 3 }),
  // A file and a directory. The root (an empty path) is left out: GitHub serves it at
  // `/contents/`, but a path template cannot describe an empty parameter.
  get_file_contents: async (t) => {
    await t.gh.call('get_file_contents', { ...REPO, path: 'src/greet.ts', ref: 'main' });
    await t.gh.call('get_file_contents', { ...REPO, path: 'src' });
  },
  list_commits: (t) =>
    t.gh.call('list_commits', {
      ...REPO,
      sha: 'main',
      path: 'src',
      author: 'monalisa',
      since: '2024-01-01',
      until: '2024-12-31T23:59:59Z',
      limit: 3,
    }),
  get_commit: (t) => t.gh.call('get_commit', { ...REPO, ref: 'main', include_patches: true }),
  compare_commits: (t) => t.gh.call('compare_commits', { ...REPO, base: 'main', head: 'feature/dark-mode' }),
  list_issues: (t) =>
    t.gh.call('list_issues', {
      ...REPO,
      state: 'all',
      labels: ['bug'],
      assignee: 'octocat',
      creator: 'monalisa',
      milestone: 1,
      since: '2024-01-01',
      sort: 'updated',
      direction: 'desc',
      limit: 5,
    }),
  get_issue: (t) => t.gh.call('get_issue', { ...REPO, issue_number: 1 }),
  create_issue: (t) =>
    t.gh.call('create_issue', {
      ...REPO,
      title: 'Contract',
      body: 'Checked against the description',
      labels: ['bug'],
      assignees: ['monalisa'],
      milestone: 1,
    }),
  update_issue: async (t) => {
    await t.gh.call('update_issue', {
      ...REPO,
      issue_number: 4,
      state: 'closed',
      state_reason: 'not_planned',
    });
    await t.gh.call('update_issue', {
      ...REPO,
      issue_number: 1,
      title: 'Retitled',
      labels: [],
      assignees: [],
      milestone: null,
    });
  },
  comment_on_issue: (t) => t.gh.call('comment_on_issue', { ...REPO, issue_number: 1, body: 'A comment' }),
  list_issue_comments: (t) =>
    t.gh.call('list_issue_comments', { ...REPO, issue_number: 1, since: '2024-01-01', limit: 5 }),
  list_pull_requests: (t) =>
    t.gh.call('list_pull_requests', {
      ...REPO,
      state: 'all',
      base: 'main',
      head: 'feature/dark-mode',
      sort: 'popularity',
      direction: 'asc',
      limit: 5,
    }),
  get_pull_request: (t) => t.gh.call('get_pull_request', { ...REPO, pull_number: 5, include_patches: true }),
};

function requestProblems(t: GitHubUnderTest): string[] {
  return t.fake.requests.flatMap((r) => contract.checkRequest(contractRequestOf(r)));
}

function responseProblems(exchanges: readonly FakeGitHubExchange[]): string[] {
  return exchanges.flatMap(({ request, response }) =>
    contract.checkResponse({ method: request.method, url: request.url }, response),
  );
}

describe('github against its OpenAPI description', () => {
  it('every operation: the requests sent and the answers received conform', async () => {
    // Two items a page, so follow-up requests built from Link headers are checked too.
    await using t = await startGitHubUnderTest({ config: { perPage: 2 } });
    for (const drive of Object.values(drives)) await drive(t);
    expect(t.fake.requests.length).toBeGreaterThan(Object.keys(drives).length);
    expect(t.fake.requests.some((r) => r.query.page === '2')).toBe(true);
    expect(requestProblems(t)).toEqual([]);
    expect(t.fake.exchanges).toHaveLength(t.fake.requests.length);
    expect(responseProblems(t.fake.exchanges)).toEqual([]);
  });

  it('the health check and the documented error answers conform', async () => {
    await using t = await startGitHubUnderTest();
    await t.gh.healthCheck();
    const failures = [
      () => t.gh.call('get_repository', { owner: 'octo-org', repo: 'nope' }), // 404
      () => t.gh.call('create_issue', { ...REPO, title: 'x', assignees: ['nobody'] }), // 422
      () => t.gh.call('create_issue', { owner: 'defunkt', repo: 'dotfiles', title: 'x' }), // 403, archived
      () => t.gh.call('get_commit', { ...REPO, ref: 'f'.repeat(40) }), // 422, no such commit
    ];
    for (const failure of failures) await failure().catch(() => undefined);
    t.fake.primaryRateLimit();
    await t.gh.call('get_repository', REPO).catch(() => undefined); // 403, documented for this endpoint
    expect(t.fake.exchanges.map((x) => x.response.status)).toEqual([200, 404, 422, 403, 422, 403]);
    expect(requestProblems(t)).toEqual([]);
    expect(responseProblems(t.fake.exchanges)).toEqual([]);
  });
});
