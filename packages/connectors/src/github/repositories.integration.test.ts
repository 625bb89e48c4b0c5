import { describe, expect, it } from 'vitest';
import { startGitHubUnderTest } from './github-test-kit.js';

describe('github repositories', () => {
  it('searches repositories with the query, sort and page size on the wire, and GitHub headers', async () => {
    await using t = await startGitHubUnderTest();
    const result = await t.gh.call('search_repositories', {
      query: 'cli',
      sort: 'stars',
      order: 'desc',
      limit: 5,
    });
    expect(result.total_count).toBe(2);
    expect(result.incomplete_results).toBe(false);
    expect(result.has_more).toBe(false);
    expect(result.items.map((r) => r.full_name)).toEqual(['octo-org/octo-cli', 'monalisa/hello-cli']);
    expect(result.items[0]).toMatchObject({
      language: 'Go',
      stargazers_count: 320,
      topics: ['cli', 'github'],
    });
    expect(result.items[0]?.score).toBeGreaterThan(0);
    expect(result.items[0]).not.toHaveProperty('archive_url');

    const [req] = t.fake.requestsTo('GET', '/search/repositories');
    expect(req?.query).toEqual({ q: 'cli', sort: 'stars', order: 'desc', per_page: '5' });
    expect(req?.headers).toMatchObject({
      authorization: `Bearer ${t.fake.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'patchbay-github/0.1',
    });
  });

  it('serves a repeated search from the cache for a minute', async () => {
    await using t = await startGitHubUnderTest();
    const first = await t.gh.call('search_repositories', { query: 'hello' });
    const second = await t.gh.call('search_repositories', { query: 'hello' });
    expect(second).toEqual(first);
    expect(t.fake.requestsTo('GET', '/search/repositories')).toHaveLength(1);
  });

  it('gets a repository in detail, private ones included when the token may see them', async () => {
    await using t = await startGitHubUnderTest();
    const repo = await t.gh.call('get_repository', { owner: 'octo-org', repo: 'hello-world' });
    expect(repo).toMatchObject({
      full_name: 'octo-org/hello-world',
      owner: { login: 'octo-org', type: 'Organization' },
      default_branch: 'main',
      language: 'TypeScript',
      license: { spdx_id: 'MIT' },
      open_issues_count: 5,
      private: false,
      permissions: { pull: true, push: false, admin: false },
    });
    expect(t.fake.requests.at(-1)?.url).toBe('/repos/octo-org/hello-world');
    const secret = await t.gh.call('get_repository', { owner: 'octo-org', repo: 'secret-plans' });
    expect(secret).toMatchObject({ private: true, visibility: 'private' });
  });

  it('refuses names that could leave /repos/{owner}/{repo} before any request', async () => {
    await using t = await startGitHubUnderTest();
    await expect(t.gh.call('get_repository', { owner: '..', repo: 'x' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'owner', message: expect.any(String) }],
    });
    await expect(t.gh.call('get_repository', { owner: 'a', repo: 'b/../../c' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
    });
    expect(t.fake.requests).toHaveLength(0);
  });

  it('lists branches with their head commits, and only protected ones when asked', async () => {
    await using t = await startGitHubUnderTest();
    const all = await t.gh.call('list_branches', { owner: 'octo-org', repo: 'hello-world' });
    expect(all.items.map((b) => b.name)).toEqual(['docs/api', 'farewell', 'feature/dark-mode', 'main']);
    const repo = t.fake.world.repository('octo-org', 'hello-world')!;
    const main = repo.branches.find((b) => b.name === 'main')!;
    expect(all.items.find((b) => b.name === 'main')).toEqual({
      name: 'main',
      protected: true,
      commit: { sha: main.head },
    });

    const protectedOnly = await t.gh.call('list_branches', {
      owner: 'octo-org',
      repo: 'hello-world',
      protected: true,
    });
    expect(protectedOnly.items.map((b) => b.name)).toEqual(['main']);
    expect(t.fake.requests.at(-1)?.query).toEqual({ protected: 'true', per_page: '100' });
  });

  it('reads a file as text, decoded from base64, at a ref', async () => {
    await using t = await startGitHubUnderTest();
    const file = await t.gh.call('get_file_contents', {
      owner: 'octo-org',
      repo: 'hello-world',
      path: 'src/greet.ts',
      ref: 'feature/dark-mode',
    });
    expect(file).toMatchObject({
      type: 'file',
      name: 'greet.ts',
      path: 'src/greet.ts',
      text: 'export function greet(name: string): string {\n  return "Hello, " + name + "!";\n}\n',
    });
    const [req] = t.fake.requestsTo('GET', '/repos/octo-org/hello-world/contents/src/greet.ts');
    expect(req?.query).toEqual({ ref: 'feature/dark-mode' });
  });

  it('gives a binary file as base64 and a directory as its entries', async () => {
    await using t = await startGitHubUnderTest();
    const logo = await t.gh.call('get_file_contents', {
      owner: 'octo-org',
      repo: 'hello-world',
      path: 'assets/logo.png',
    });
    expect(logo).toMatchObject({ type: 'file', text: null, size: 12 });
    expect(logo.type === 'file' && Buffer.from(logo.content_base64 ?? '', 'base64')[0]).toBe(0x89);

    const dir = await t.gh.call('get_file_contents', { owner: 'octo-org', repo: 'hello-world', path: 'src' });
    expect(dir.type === 'dir' && dir.entries.map((e) => `${e.type}:${e.path}`)).toEqual([
      'file:src/farewell.ts',
      'file:src/greet.ts',
      'file:src/index.ts',
    ]);
    const root = await t.gh.call('get_file_contents', { owner: 'octo-org', repo: 'hello-world' });
    expect(root.type === 'dir' && root.entries.map((e) => e.name)).toContain('README.md');
  });

  it('checks the token against /rate_limit for its health, without spending quota', async () => {
    await using t = await startGitHubUnderTest();
    expect(await t.gh.healthCheck()).toMatchObject({
      name: 'github',
      status: 'ready',
      message: 'API accessible',
    });
    expect(t.fake.requests.map((r) => r.url)).toEqual(['/rate_limit']);
  });
});
