import { describe, expect, it } from 'vitest';
import { startGitHubUnderTest } from './github-test-kit.js';

const REPO = { owner: 'octo-org', repo: 'hello-world' };

describe('github issues', () => {
  it('lists open issues without the pull requests GitHub mixes into the list', async () => {
    await using t = await startGitHubUnderTest();
    const { items, has_more } = await t.gh.call('list_issues', REPO);
    expect(has_more).toBe(false);
    expect(items.map((i) => i.number)).toEqual([6, 4, 1]);
    expect(items.every((i) => i.pull_request === undefined)).toBe(true);
    expect(items[2]).toMatchObject({
      title: 'Greeting is not localized',
      state: 'open',
      user: { login: 'monalisa' },
      labels: [{ name: 'bug', color: 'd73a4a', description: "Something isn't working" }],
      assignees: [{ login: 'octocat' }],
      milestone: { number: 1, title: 'v1.2', state: 'open', due_on: '2024-06-30T07:00:00Z' },
      comments: 2,
    });
    expect(t.fake.requests[0]?.query).toEqual({ state: 'open', per_page: '30' });
  });

  it("filters by state, labels, assignee, milestone and time, with GitHub's parameter forms", async () => {
    await using t = await startGitHubUnderTest();
    const { items } = await t.gh.call('list_issues', {
      ...REPO,
      state: 'all',
      labels: ['bug'],
      assignee: '*',
      milestone: '*',
      since: '2024-01-01',
      sort: 'updated',
      direction: 'asc',
      limit: 5,
    });
    expect(items.map((i) => i.number)).toEqual([1]);
    expect(t.fake.requests[0]?.query).toEqual({
      state: 'all',
      labels: 'bug',
      assignee: '*',
      milestone: '*',
      since: '2024-01-01T00:00:00Z',
      sort: 'updated',
      direction: 'asc',
      per_page: '5',
    });
    const closed = await t.gh.call('list_issues', { ...REPO, state: 'closed', labels: ['enhancement'] });
    expect(closed.items.map((i) => [i.number, i.state_reason])).toEqual([
      [7, 'not_planned'],
      [2, 'completed'],
    ]);
    expect(t.fake.requests[1]?.query).toMatchObject({ labels: 'enhancement', state: 'closed' });
  });

  it('keeps paging past pull requests until it has the issues asked for', async () => {
    await using t = await startGitHubUnderTest({ config: { perPage: 2 } });
    const { items, has_more } = await t.gh.call('list_issues', { ...REPO, state: 'all', limit: 4 });
    expect(items.map((i) => i.number)).toEqual([7, 6, 4, 2]);
    expect(has_more).toBe(true);
    // 8 (PR) 7 | 6 5 (PR) | 4 3 (PR) | 2: four pages to find four issues.
    expect(t.fake.requests).toHaveLength(4);
  });

  it('gets one issue, and a pull request by its issue number', async () => {
    await using t = await startGitHubUnderTest();
    const issue = await t.gh.call('get_issue', { ...REPO, issue_number: 4 });
    expect(issue).toMatchObject({
      number: 4,
      title: 'README has a broken link',
      assignees: [],
      milestone: null,
    });
    const pull = await t.gh.call('get_issue', { ...REPO, issue_number: 3 });
    expect(pull.pull_request).toMatchObject({ merged_at: '2024-02-01T16:50:00Z' });
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      '/repos/octo-org/hello-world/issues/4',
      '/repos/octo-org/hello-world/issues/3',
    ]);
  });

  it('creates an issue: the body on the wire, the next number back, and the issue there afterwards', async () => {
    await using t = await startGitHubUnderTest();
    const created = await t.gh.call('create_issue', {
      ...REPO,
      title: 'Greeting crashes on null',
      body: 'Steps:\n1. greet(null)',
      labels: ['bug', 'needs-triage'],
      assignees: ['monalisa'],
      milestone: 1,
    });
    expect(created).toMatchObject({
      number: 9,
      state: 'open',
      title: 'Greeting crashes on null',
      user: { login: 'octocat' },
      labels: [{ name: 'bug' }, { name: 'needs-triage' }],
      assignees: [{ login: 'monalisa' }],
      milestone: { number: 1 },
    });
    const [req] = t.fake.requestsTo('POST', '/repos/octo-org/hello-world/issues');
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(req?.json()).toEqual({
      title: 'Greeting crashes on null',
      body: 'Steps:\n1. greet(null)',
      labels: ['bug', 'needs-triage'],
      assignees: ['monalisa'],
      milestone: 1,
    });
    const again = await t.gh.call('get_issue', { ...REPO, issue_number: 9 });
    expect(again.title).toBe('Greeting crashes on null');
    const second = await t.gh.call('create_issue', { ...REPO, title: 'Another' });
    expect(second.number).toBe(10);
    expect(t.fake.requestsTo('POST', '/repos/octo-org/hello-world/issues')[1]?.json()).toEqual({
      title: 'Another',
    });
  });

  it('closes an issue with a reason, sending only the fields that change', async () => {
    await using t = await startGitHubUnderTest();
    const closed = await t.gh.call('update_issue', {
      ...REPO,
      issue_number: 4,
      state: 'closed',
      state_reason: 'completed',
      labels: ['documentation'],
    });
    expect(closed).toMatchObject({
      number: 4,
      state: 'closed',
      state_reason: 'completed',
      labels: [{ name: 'documentation' }],
    });
    expect(closed.closed_at).toEqual(expect.any(String));
    const [req] = t.fake.requestsTo('PATCH', '/repos/octo-org/hello-world/issues/4');
    expect(req?.json()).toEqual({ state: 'closed', state_reason: 'completed', labels: ['documentation'] });

    const cleared = await t.gh.call('update_issue', { ...REPO, issue_number: 1, milestone: null });
    expect(cleared.milestone).toBeNull();
    expect(t.fake.requestsTo('PATCH', '/repos/octo-org/hello-world/issues/1')[0]?.json()).toEqual({
      milestone: null,
    });
    await expect(t.gh.call('update_issue', { ...REPO, issue_number: 1 })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
    });
  });

  it('comments on an issue and lists the conversation', async () => {
    await using t = await startGitHubUnderTest();
    const comment = await t.gh.call('comment_on_issue', {
      ...REPO,
      issue_number: 1,
      body: 'Fixed in **#9**.',
    });
    expect(comment).toMatchObject({
      body: 'Fixed in **#9**.',
      user: { login: 'octocat' },
      author_association: 'CONTRIBUTOR',
    });
    expect(comment.html_url).toMatch(/\/octo-org\/hello-world\/issues\/1#issuecomment-\d+$/);
    expect(t.fake.requestsTo('POST', '/repos/octo-org/hello-world/issues/1/comments')[0]?.json()).toEqual({
      body: 'Fixed in **#9**.',
    });

    const { items } = await t.gh.call('list_issue_comments', { ...REPO, issue_number: 1 });
    expect(items.map((c) => [c.user?.login, c.body])).toEqual([
      ['octocat', 'Confirmed on main.'],
      ['monalisa', 'I can take the French strings.'],
      ['octocat', 'Fixed in **#9**.'],
    ]);
    const since = await t.gh.call('list_issue_comments', {
      ...REPO,
      issue_number: 1,
      since: '2024-01-12T00:00:00Z',
    });
    expect(since.items).toHaveLength(2);
    expect(t.fake.requests.at(-1)?.query).toEqual({ since: '2024-01-12T00:00:00Z', per_page: '30' });
  });
});
