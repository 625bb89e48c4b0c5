import { describe, expect, it } from 'vitest';
import { startGitHubUnderTest } from './github-test-kit.js';

const REPO = { owner: 'octo-org', repo: 'hello-world' };

describe('github commits (code analysis)', () => {
  it('lists the default branch newest first, with messages, git identities and accounts', async () => {
    await using t = await startGitHubUnderTest();
    const { items, has_more } = await t.gh.call('list_commits', REPO);
    expect(has_more).toBe(false);
    expect(items.map((c) => c.commit.message)).toEqual([
      'Release v1.1.0',
      'Add farewell',
      'Bump dependencies',
      'Fix typo in README',
      'Add greeting module',
      'Initial commit',
    ]);
    expect(items[1]).toMatchObject({
      commit: { author: { name: 'Mona Lisa Octocat', date: '2024-02-01T16:45:00Z' } },
      author: { login: 'monalisa', type: 'User' },
      parents: [{ sha: items[2]?.sha }],
    });
    // A git identity GitHub cannot match to an account has no author account.
    expect(items[3]).toMatchObject({ author: null, commit: { author: { email: 'someone@example.com' } } });
    expect(t.fake.requests[0]?.url).toBe('/repos/octo-org/hello-world/commits?per_page=30');
  });

  it('narrows by branch, path, author and time, sending each as GitHub names it', async () => {
    await using t = await startGitHubUnderTest();
    const { items } = await t.gh.call('list_commits', {
      ...REPO,
      sha: 'feature/dark-mode',
      path: 'src/index.ts',
      author: 'defunkt',
      since: '2024-02-01',
      until: '2024-02-28T00:00:00Z',
      limit: 10,
    });
    expect(items.map((c) => c.commit.message)).toEqual(['Add dark mode toggle']);
    expect(t.fake.requests[0]?.query).toEqual({
      sha: 'feature/dark-mode',
      path: 'src/index.ts',
      author: 'defunkt',
      since: '2024-02-01T00:00:00Z',
      until: '2024-02-28T00:00:00Z',
      per_page: '10',
    });
  });

  it("gets one commit with its stats and each file's status and diff size, patches on request", async () => {
    await using t = await startGitHubUnderTest();
    const repo = t.fake.world.repository('octo-org', 'hello-world')!;
    const bump = [...repo.commits.values()].find((c) => c.message === 'Bump dependencies')!;
    const commit = await t.gh.call('get_commit', { ...REPO, ref: bump.sha });
    expect(commit).toMatchObject({
      sha: bump.sha,
      stats: { additions: 853, deletions: 793, total: 1646 },
      files_by_status: { modified: 2 },
      has_more_files: false,
    });
    expect(commit.files).toEqual([
      {
        filename: 'package.json',
        status: 'modified',
        additions: 3,
        deletions: 3,
        changes: 6,
        patch_size: expect.any(Number),
      },
      // GitHub sends no patch for a diff too large to show.
      {
        filename: 'package-lock.json',
        status: 'modified',
        additions: 850,
        deletions: 790,
        changes: 1640,
        patch_size: null,
      },
    ]);
    expect(t.fake.requests[0]?.path).toBe(`/repos/octo-org/hello-world/commits/${bump.sha}`);

    const typo = [...repo.commits.values()].find((c) => c.message === 'Fix typo in README')!;
    const withPatch = await t.gh.call('get_commit', {
      ...REPO,
      ref: typo.sha.slice(0, 7),
      include_patches: true,
    });
    const patch = '@@ -3,1 +3,1 @@\n-Helo, world\n+Hello, world';
    expect(withPatch.files).toEqual([
      {
        filename: 'README.md',
        status: 'modified',
        additions: 1,
        deletions: 1,
        changes: 2,
        patch_size: patch.length,
        patch,
      },
    ]);
  });

  it('compares two refs: ahead, behind, the commits in between and the files they touch', async () => {
    await using t = await startGitHubUnderTest();
    const cmp = await t.gh.call('compare_commits', { ...REPO, base: 'main', head: 'feature/dark-mode' });
    expect(cmp).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1, total_commits: 2 });
    expect(cmp.commits.map((c) => c.commit.message)).toEqual([
      'Add dark mode toggle',
      'Dark mode: respect prefers-color-scheme',
    ]);
    expect(cmp.files.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ['src/theme.ts', 'added', 48, 2],
      ['src/index.ts', 'modified', 2, 0],
    ]);
    expect(t.fake.requests[0]?.path).toBe('/repos/octo-org/hello-world/compare/main...feature%2Fdark-mode');
  });
});
