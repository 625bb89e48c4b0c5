import type { FakeJiraComment, FakeJiraUser } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { startJiraTestBed } from './test-setup.js';

const doc = (t: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
});

describe('add_comment', () => {
  it('posts plain text as ADF and returns the comment', async () => {
    await using bed = await startJiraTestBed();
    const comment = await bed.jira.call('add_comment', { issueKey: 'PROJ-1', body: 'Looking into it' });
    expect(comment).toMatchObject({
      id: expect.any(String),
      body: doc('Looking into it'),
      author: { displayName: 'Patchbay Agent' },
    });
    expect(bed.fake.requests[0]).toMatchObject({ method: 'POST', url: '/rest/api/3/issue/PROJ-1/comment' });
    expect(bed.fake.requests[0]!.headers.authorization).toBe(bed.basicAuth);
    expect(bed.fake.requests[0]!.json()).toEqual({ body: doc('Looking into it') });
  });

  it('passes an ADF body through and restricts visibility to a role', async () => {
    await using bed = await startJiraTestBed();
    const body = { type: 'doc' as const, version: 1 as const, content: [{ type: 'rule' }] };
    await bed.jira.call('add_comment', {
      issueKey: 'PROJ-1',
      body,
      visibility: { type: 'role', value: 'Developers' },
    });
    expect(bed.fake.requests[0]!.json()).toEqual({ body, visibility: { type: 'role', value: 'Developers' } });
    expect(bed.fake.issue('PROJ-1')?.comments?.[0]).toMatchObject({
      body,
      visibility: { type: 'role', value: 'Developers' },
    });
  });
});

describe('list_comments (startAt / maxResults / total)', () => {
  it('pages comments up to the limit, with their text, and says where to continue', async () => {
    const comments: FakeJiraComment[] = Array.from({ length: 130 }, (_, i) => ({
      id: String(30_000 + i),
      authorAccountId: '5d53f3cbc6b9320d9ea5bdc2',
      body: doc(`note ${i + 1}`),
      created: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      updated: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    }));
    await using bed = await startJiraTestBed();
    bed.fake.issue('PROJ-2')!.comments = comments;
    const first = await bed.jira.call('list_comments', { issueKey: 'PROJ-2', limit: 120 });
    expect(first.comments).toHaveLength(120);
    expect(first.comments[0]).toMatchObject({
      id: '30000',
      bodyText: 'note 1',
      author: { displayName: 'Alice Nguyen' },
    });
    expect(first).toMatchObject({ total: 130, nextStartAt: 120 });
    expect(bed.fake.requests.map((r) => r.query)).toEqual([
      { startAt: '0', maxResults: '100', orderBy: 'created' },
      { startAt: '100', maxResults: '20', orderBy: 'created' },
    ]);
    const newest = await bed.jira.call('list_comments', {
      issueKey: 'PROJ-2',
      orderBy: '-created',
      limit: 2,
    });
    expect(newest.comments.map((c) => c.bodyText)).toEqual(['note 130', 'note 129']);
    const rest = await bed.jira.call('list_comments', { issueKey: 'PROJ-2', startAt: 120 });
    expect(rest.comments.map((c) => c.bodyText)).toEqual(
      Array.from({ length: 10 }, (_, i) => `note ${i + 121}`),
    );
    expect(rest).not.toHaveProperty('nextStartAt');
  });
});

describe('users', () => {
  it('lists active people by default, paging the bare arrays of /users/search until an empty page', async () => {
    const many: FakeJiraUser[] = Array.from({ length: 150 }, (_, i) => ({
      accountId: `user-${i}`,
      displayName: `User ${i}`,
      ...(i % 10 === 0 && { active: false }),
      ...(i % 25 === 1 && { accountType: 'app' as const }),
    }));
    await using bed = await startJiraTestBed({ data: { users: many } });
    const people = await bed.jira.call('list_users', { limit: 500 });
    const expected = many
      .filter((u) => u.active !== false && u.accountType !== 'app')
      .map((u) => u.accountId);
    expect(people.users.map((u) => u.accountId)).toEqual([...expected, 'fake-agent@acme.test']);
    expect(people).not.toHaveProperty('nextStartAt');
    expect(bed.fake.requests.map((r) => [r.path, r.query.startAt, r.query.maxResults])).toEqual([
      ['/rest/api/3/users/search', '0', '100'],
      ['/rest/api/3/users/search', '100', '100'],
      ['/rest/api/3/users/search', '151', '100'],
    ]);
    const everyone = await bed.jira.call('list_users', {
      includeApps: true,
      includeInactive: true,
      limit: 120,
    });
    expect(everyone.users).toHaveLength(120);
    expect(everyone.nextStartAt).toBe(120);
  });

  it('searches users by the start of a name or email', async () => {
    await using bed = await startJiraTestBed();
    const { users } = await bed.jira.call('search_users', { query: 'ngu' });
    expect(users).toEqual([
      expect.objectContaining({
        accountId: '5d53f3cbc6b9320d9ea5bdc2',
        displayName: 'Alice Nguyen',
        emailAddress: 'alice@acme.test',
      }),
    ]);
    expect(bed.fake.requests[0]).toMatchObject({
      method: 'GET',
      path: '/rest/api/3/user/search',
      query: { query: 'ngu', startAt: '0', maxResults: '20' },
    });
  });

  it('gets the account it acts as, and uses it for the health check', async () => {
    await using bed = await startJiraTestBed();
    expect(await bed.jira.call('get_current_user', {})).toMatchObject({
      accountId: '5b10a2844c20165700ede21g',
      emailAddress: 'agent@acme.test',
    });
    expect(await bed.jira.healthCheck()).toMatchObject({
      name: 'jira',
      status: 'ready',
      message: 'API accessible',
    });
    expect(bed.fake.requests.map((r) => r.url)).toEqual(['/rest/api/3/myself', '/rest/api/3/myself']);
  });
});
