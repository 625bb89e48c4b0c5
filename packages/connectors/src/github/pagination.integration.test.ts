import { reply } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { startGitHubUnderTest } from './github-test-kit.js';

const REPO = { owner: 'octo-org', repo: 'hello-world' };
const COMMITS = '/repos/octo-org/hello-world/commits';

describe('github pagination (Link: rel="next")', () => {
  it('follows the next links until the last page', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 2 } });
    const { items, has_more } = await t.gh.call('list_commits', { ...REPO, limit: 100 });
    expect(items).toHaveLength(6);
    expect(new Set(items.map((c) => c.sha)).size).toBe(6);
    expect(has_more).toBe(false);
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      `${COMMITS}?per_page=2`,
      `${COMMITS}?per_page=2&page=2`,
      `${COMMITS}?per_page=2&page=3`,
    ]);
    expect(t.fake.requests.every((r) => r.headers.authorization === `Bearer ${t.fake.token}`)).toBe(true);
  });

  it('asks for no more than the limit per page and stops at the limit, saying there is more', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 4 } });
    const small = await t.gh.call('list_commits', { ...REPO, limit: 3 });
    expect(small.items.map((c) => c.commit.message)).toEqual([
      'Release v1.1.0',
      'Add farewell',
      'Bump dependencies',
    ]);
    expect(small.has_more).toBe(true);
    expect(t.fake.requests.map((r) => r.url)).toEqual([`${COMMITS}?per_page=3`]);

    const cut = await t.gh.call('list_commits', { ...REPO, limit: 5 });
    expect(cut.items).toHaveLength(5);
    expect(cut.has_more).toBe(true);
    expect(t.fake.requests.slice(1).map((r) => r.url)).toEqual([
      `${COMMITS}?per_page=4`,
      `${COMMITS}?per_page=4&page=2`,
    ]);
  });

  it('knows a limit that ends exactly on the last page leaves nothing more', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 3 } });
    const exact = await t.gh.call('list_commits', { ...REPO, limit: 6 });
    expect(exact.items).toHaveLength(6);
    expect(exact.has_more).toBe(false);
    expect(t.fake.requests).toHaveLength(2);
  });

  it('reads at most maxPages pages whatever the limit', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 2, maxPages: 2 } });
    const { items, has_more } = await t.gh.call('list_commits', { ...REPO, limit: 1000 });
    expect(items).toHaveLength(4);
    expect(has_more).toBe(true);
    expect(t.fake.requests).toHaveLength(2);
  });

  it('pages search results, keeping the total count of the first page', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 1 } });
    const result = await t.gh.call('search_repositories', { query: 'hello', limit: 10 });
    expect(result.total_count).toBe(2);
    expect(result.items.map((r) => r.full_name).sort()).toEqual([
      'monalisa/hello-cli',
      'octo-org/hello-world',
    ]);
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      '/search/repositories?q=hello&per_page=1',
      '/search/repositories?q=hello&per_page=1&page=2',
    ]);
  });

  it('pages on GitHub Enterprise Server under /api/v3 without doubling the base path', async () => {
    await using t = await startGitHubUnderTest({ fake: { basePath: '/api/v3' }, config: { perPage: 2 } });
    expect(t.fake.url).toMatch(/\/api\/v3$/);
    const { items } = await t.gh.call('list_commits', { ...REPO, limit: 5 });
    expect(items).toHaveLength(5);
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      `/api/v3${COMMITS}?per_page=2`,
      `/api/v3${COMMITS}?per_page=2&page=2`,
      `/api/v3${COMMITS}?per_page=2&page=3`,
    ]);
  });

  it('sends the next page to the configured server even when the link names another host', async () => {
    await using t = await startGitHubUnderTest({ fake: { basePath: '/api/v3' } });
    const branch = (name: string) => ({
      name,
      protected: false,
      commit: { sha: 'a'.repeat(40), url: `${t.fake.url}/x` },
    });
    t.fake.on(
      'GET',
      '/repos/octo-org/hello-world/branches',
      reply.json(200, [branch('one')], {
        link: '<https://github.internal.example/api/v3/repos/octo-org/hello-world/branches?per_page=1&page=2>; rel="next"',
      }),
      reply.json(200, [branch('two')]),
    );
    const { items } = await t.gh.call('list_branches', { ...REPO, limit: 10 });
    expect(items.map((b) => b.name)).toEqual(['one', 'two']);
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      '/api/v3/repos/octo-org/hello-world/branches?per_page=10',
      '/api/v3/repos/octo-org/hello-world/branches?per_page=1&page=2',
    ]);
  });
});
