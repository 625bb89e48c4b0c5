import { isErrorType } from '@patchbay/core';
import { type FakeJiraIssue, parseJql, rejectionOf } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_FIELDS } from './operations/search.js';
import { startJiraTestBed } from './test-setup.js';

const HOSTILE = 'x" OR project = SECRET OR "';

/** `count` issues BIG-1..BIG-n in a project BIG, created a minute apart. */
function bigProject(count: number) {
  const issues: FakeJiraIssue[] = Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
    return {
      id: String(50_000 + i),
      key: `BIG-${i + 1}`,
      projectKey: 'BIG',
      summary: `Item ${i + 1}`,
      issueType: 'Task',
      status: 'To Do',
      created: at,
      updated: at,
    };
  });
  return { projects: [{ id: '500', key: 'BIG', name: 'Big Backlog' }], issues };
}

const keys = (result: { issues: { key: string }[] }) => result.issues.map((i) => i.key);

describe('search_issues over POST /rest/api/3/search/jql', () => {
  it('sends the JQL, the fields and the page size as JSON with basic auth', async () => {
    await using bed = await startJiraTestBed();
    const result = await bed.jira.call('search_issues', { project: 'PROJ', status: ['To Do', 'In Review'] });
    expect(result.jql).toBe('project = "PROJ" AND status IN ("To Do", "In Review")');
    expect(keys(result)).toEqual(['PROJ-5', 'PROJ-4', 'PROJ-1']);
    expect(result.issues[0]).toMatchObject({
      key: 'PROJ-5',
      fields: {
        summary: 'Document the MCP tools',
        status: { name: 'To Do' },
        assignee: { displayName: 'Patchbay Agent' },
      },
    });
    expect(result).not.toHaveProperty('nextPageToken');
    const [request] = bed.fake.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/rest/api/3/search/jql' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toBe(bed.basicAuth);
    expect(request!.json()).toEqual({ jql: result.jql, fields: [...DEFAULT_SEARCH_FIELDS], maxResults: 50 });
  });

  it('narrows by every structured filter, and sorts by orderBy', async () => {
    await using bed = await startJiraTestBed({ now: () => Date.parse('2024-05-10T00:00:00Z') });
    const search = async (input: Parameters<typeof bed.jira.call<'search_issues'>>[1]) =>
      keys(await bed.jira.call('search_issues', { fields: ['summary'], ...input }));
    expect(
      await search({ labels: ['backend', 'resilience'], orderBy: [{ field: 'key', direction: 'ASC' }] }),
    ).toEqual(['PROJ-1', 'PROJ-4']);
    expect(await search({ assignee: 'currentUser()' })).toEqual(['PROJ-5']);
    expect(await search({ project: 'MOB', assignee: 'unassigned' })).toEqual(['MOB-2']);
    expect(await search({ assignee: '60e5a86a471e61006a4b7f21', issueType: 'Bug' })).toEqual(['MOB-1']);
    expect(
      await search({
        reporter: '5d53f3cbc6b9320d9ea5bdc2',
        priority: ['Low', 'Highest'],
        project: ['PROJ', 'MOB'],
      }),
    ).toEqual(['PROJ-3', 'MOB-2']);
    expect(await search({ text: 'hanging probe' })).toEqual(['PROJ-4']);
    expect(
      await search({ project: 'PROJ', createdAfter: '2024-02-01', createdBefore: '2024-04-20 12:00' }),
    ).toEqual(['PROJ-3', 'PROJ-2']);
    expect(
      await search({
        project: 'PROJ',
        updatedAfter: '-30d',
        orderBy: [{ field: 'priority', direction: 'DESC' }],
      }),
    ).toEqual(['PROJ-4', 'PROJ-5']);
  });

  it("combines the caller's JQL with filters as one group, so its OR cannot reach past them", async () => {
    await using bed = await startJiraTestBed();
    const result = await bed.jira.call('search_issues', {
      jql: 'labels = confidential OR labels = backend ORDER BY key',
      project: 'PROJ',
    });
    expect(result.jql).toBe('(labels = confidential OR labels = backend) AND project = "PROJ" ORDER BY key');
    expect(keys(result)).toEqual(['PROJ-1', 'PROJ-4']);
  });
});

describe('search_issues pagination (nextPageToken)', () => {
  it('collects token pages up to the limit, asking each page for no more than is still wanted', async () => {
    await using bed = await startJiraTestBed({ data: bigProject(230) });
    const first = await bed.jira.call('search_issues', {
      project: 'BIG',
      fields: ['summary'],
      limit: 150,
      orderBy: [{ field: 'created' }],
    });
    expect(keys(first)).toEqual(Array.from({ length: 150 }, (_, i) => `BIG-${i + 1}`));
    expect(first.nextPageToken).toEqual(expect.any(String));
    const bodies = bed.fake.requests.map((r) => r.json() as Record<string, unknown>);
    expect(bodies.map((b) => [b.maxResults, b.nextPageToken === undefined])).toEqual([
      [100, true],
      [50, false],
    ]);

    const rest = await bed.jira.call('search_issues', {
      project: 'BIG',
      fields: ['summary'],
      limit: 1000,
      orderBy: [{ field: 'created' }],
      nextPageToken: first.nextPageToken!,
    });
    expect(keys(rest)).toEqual(Array.from({ length: 80 }, (_, i) => `BIG-${i + 151}`));
    expect(rest).not.toHaveProperty('nextPageToken');
    expect(bed.fake.requests[2]!.json()).toMatchObject({
      maxResults: 100,
      nextPageToken: first.nextPageToken,
    });
    expect(bed.fake.requests).toHaveLength(3);
  });

  it('stops at the last page even when the limit is not reached', async () => {
    await using bed = await startJiraTestBed({ data: bigProject(101) });
    const result = await bed.jira.call('search_issues', { project: 'BIG', limit: 500 });
    expect(result.issues).toHaveLength(101);
    expect(bed.fake.requests.map((r) => (r.json() as { maxResults: number }).maxResults)).toEqual([100, 100]);
  });
});

describe('search_issues against JQL injection', () => {
  it('matches a hostile label literally: no results, and the query Jira got has exactly the clauses asked for', async () => {
    await using bed = await startJiraTestBed();
    const result = await bed.jira.call('search_issues', {
      project: 'PROJ',
      labels: [HOSTILE],
      text: HOSTILE,
    });
    expect(result.issues).toEqual([]);
    const sent = (bed.fake.requests[0]!.json() as { jql: string }).jql;
    expect(parseJql(sent).where).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'clause',
          field: 'project',
          operator: '=',
          operands: [{ kind: 'value', value: 'PROJ', quoted: true }],
        },
        {
          kind: 'clause',
          field: 'labels',
          operator: '=',
          operands: [{ kind: 'value', value: HOSTILE, quoted: true }],
        },
        {
          kind: 'clause',
          field: 'text',
          operator: '~',
          operands: [expect.objectContaining({ kind: 'value', quoted: true })],
        },
      ],
    });
  });

  it.each([
    ['a quote', HOSTILE],
    ['escaped quotes', 'x\\" OR project = SECRET OR \\"'],
    ['a trailing backslash', 'PROJ\\'],
    ['a newline', 'PROJ\nOR project = SECRET'],
    ['parentheses', 'x") OR (project = SECRET'],
  ])(
    'looks up a project name holding %s as one literal name, which Jira says does not exist',
    async (_case, value) => {
      await using bed = await startJiraTestBed();
      const error = await rejectionOf(bed.jira.call('search_issues', { project: value }), (e) =>
        isErrorType(e, 'IntegrationPermanentError'),
      );
      expect(error.status).toBe(400);
      expect(error.message).toContain(`: The value '${value}' does not exist for the field 'project'.`);
      expect(bed.fake.requests).toHaveLength(1);
    },
  );

  it('refuses malformed JQL of its own before sending anything', async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(
      bed.jira.call('search_issues', { jql: 'labels = a) OR (project = SECRET', project: 'PROJ' }),
      (e) => isErrorType(e, 'IntegrationValidationError'),
    );
    expect(error.issues).toEqual([
      { path: 'jql', message: "is malformed: the ')' at character 11 has no matching '('" },
    ]);
    const unbounded = await rejectionOf(bed.jira.call('search_issues', { jql: 'ORDER BY created' }), (e) =>
      isErrorType(e, 'IntegrationValidationError'),
    );
    expect(unbounded.message).toMatch(/give jql with a condition, or at least one filter/);
    const badOrder = await rejectionOf(
      bed.jira.call('search_issues', {
        project: 'PROJ',
        orderBy: [{ field: 'key; DROP', direction: 'ASC' }],
      }),
      (e) => isErrorType(e, 'IntegrationValidationError'),
    );
    expect(badOrder.issues?.[0]?.path).toBe('orderBy.0.field');
    expect(bed.fake.requests).toHaveLength(0);
  });

  it("passes Jira's own JQL error through as a permanent error with Jira's words", async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(bed.jira.call('search_issues', { jql: 'project = = PROJ' }), (e) =>
      isErrorType(e, 'IntegrationPermanentError'),
    );
    expect(error.message).toBe(
      `Request rejected (HTTP 400) on POST ${bed.fake.url}/rest/api/3/search/jql: Error in the JQL Query: Expecting a value but got '='. (line 1, character 11)`,
    );
    expect(error.body).toBe(
      JSON.stringify({
        errorMessages: ["Error in the JQL Query: Expecting a value but got '='. (line 1, character 11)"],
        errors: {},
      }),
    );
  });
});
