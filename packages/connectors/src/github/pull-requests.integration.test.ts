import { describe, expect, it } from 'vitest';
import { startGitHubUnderTest } from './github-test-kit.js';

const REPO = { owner: 'octo-org', repo: 'hello-world' };

describe('github pull requests', () => {
  it('lists open pull requests with their branches, drafts included', async () => {
    await using t = await startGitHubUnderTest();
    const { items } = await t.gh.call('list_pull_requests', REPO);
    expect(items.map((p) => [p.number, p.title, p.draft])).toEqual([
      [8, 'Document the API', true],
      [5, 'Dark mode', false],
    ]);
    expect(items[1]).toMatchObject({
      head: { ref: 'feature/dark-mode', label: 'octo-org:feature/dark-mode' },
      base: { ref: 'main' },
      user: { login: 'defunkt' },
      requested_reviewers: [{ login: 'octocat' }],
      labels: [{ name: 'enhancement' }],
      merged_at: null,
    });
    expect(t.fake.requests[0]?.query).toEqual({ state: 'open', per_page: '30' });
  });

  it('filters by state, base and head, naming a bare head branch owner:branch as GitHub requires', async () => {
    await using t = await startGitHubUnderTest();
    const { items } = await t.gh.call('list_pull_requests', {
      ...REPO,
      state: 'closed',
      base: 'main',
      head: 'farewell',
      sort: 'updated',
      direction: 'desc',
    });
    expect(items.map((p) => [p.number, p.merged_at])).toEqual([[3, '2024-02-01T16:50:00Z']]);
    expect(t.fake.requests[0]?.query).toEqual({
      state: 'closed',
      base: 'main',
      head: 'octo-org:farewell',
      sort: 'updated',
      direction: 'desc',
      per_page: '30',
    });
  });

  it('gets a pull request with diff totals and every changed file, paging through the files', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 3 } });
    const pr = await t.gh.call('get_pull_request', { ...REPO, pull_number: 5 });
    expect(pr).toMatchObject({
      number: 5,
      state: 'open',
      merged: false,
      mergeable: true,
      commits: 2,
      additions: 53,
      deletions: 3,
      changed_files: 4,
      files_by_status: { added: 2, modified: 1, renamed: 1 },
      has_more_files: false,
    });
    expect(pr.files).toEqual([
      {
        filename: 'src/theme.ts',
        status: 'added',
        additions: 48,
        deletions: 2,
        changes: 50,
        patch_size: expect.any(Number),
      },
      {
        filename: 'src/index.ts',
        status: 'modified',
        additions: 2,
        deletions: 0,
        changes: 2,
        patch_size: expect.any(Number),
      },
      {
        filename: 'src/styles.css',
        status: 'renamed',
        previous_filename: 'src/style.css',
        additions: 3,
        deletions: 1,
        changes: 4,
        patch_size: expect.any(Number),
      },
      {
        filename: 'assets/moon.png',
        status: 'added',
        additions: 0,
        deletions: 0,
        changes: 0,
        patch_size: null,
      },
    ]);
    expect(pr.files.every((f) => f.patch === undefined)).toBe(true);
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      '/repos/octo-org/hello-world/pulls/5',
      '/repos/octo-org/hello-world/pulls/5/files?per_page=3',
      '/repos/octo-org/hello-world/pulls/5/files?per_page=3&page=2',
    ]);
  });

  it('includes the patches when asked and stops at max_files, saying there are more', async () => {
    await using t = await startGitHubUnderTest();
    const pr = await t.gh.call('get_pull_request', {
      ...REPO,
      pull_number: 5,
      include_patches: true,
      max_files: 1,
    });
    expect(pr.files).toHaveLength(1);
    expect(pr.files[0]?.patch).toMatch(/^@@ -1,2 \+1,48 @@\n/);
    expect(pr.files[0]?.patch_size).toBe(pr.files[0]?.patch?.length);
    expect(pr.has_more_files).toBe(true);
    expect(pr.changed_files).toBe(4);
    expect(t.fake.requests.at(-1)?.url).toBe('/repos/octo-org/hello-world/pulls/5/files?per_page=1');
  });

  it('shows who merged a merged pull request', async () => {
    await using t = await startGitHubUnderTest();
    const pr = await t.gh.call('get_pull_request', { ...REPO, pull_number: 3 });
    expect(pr).toMatchObject({
      state: 'closed',
      merged: true,
      merged_by: { login: 'octocat' },
      mergeable: null,
    });
    expect(pr.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
  });
});
