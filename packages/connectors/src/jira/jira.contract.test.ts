import { contractRequestOf, type FakeJiraExchange, vendorContract } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { jira } from './integration.js';
import { startJiraTestBed } from './test-setup.js';

/*
 * Every request the connector sends, and every answer the fake gives, checked against the
 * published Jira Cloud platform REST v3 description (teamapis/jira-platform, 2022-09-01).
 *
 * Where that description is older or narrower than Jira, the exact problem it reports is
 * asserted instead of []: a newer description that fixes it makes the test fail, to be updated.
 * - `POST /rest/api/3/search/jql` (the current search, with `nextPageToken`) is newer than the
 *   description, which has only the `/search` Atlassian has since removed. Its request body is
 *   checked against the fields of Atlassian's current reference (below), and each issue of its
 *   answer against the description's `IssueBean` (through `GET /issue/{key}`).
 * - `PUT /issue/{key}/assignee` with `{"accountId": null}`: Jira documents null as "unassign",
 *   the description's `User.accountId` is a non-nullable string.
 * - A 429 is documented for a few endpoints only (`/user/search` has it, `/project/{key}` not).
 * - Every 204 (edit, assign, transition) is documented with an `application/json` body of an
 *   empty schema; Jira sends 204 with no body, as HTTP requires, and so does the fake.
 */

const contract = vendorContract('jira');

/** `SearchAndReconcileRequestBean`, per Atlassian's current REST v3 reference for `/search/jql`. */
const SEARCH_JQL_BODY_FIELDS = [
  'jql',
  'nextPageToken',
  'maxResults',
  'fields',
  'expand',
  'properties',
  'fieldsByKeys',
  'failFast',
  'reconcileIssues',
];
const SEARCH_JQL_UNDOCUMENTED = 'POST /rest/api/3/search/jql: no documented operation matches this path';

function checked({ request, response }: FakeJiraExchange) {
  const target = { method: request.method, url: request.url };
  return {
    request: contract.checkRequest(contractRequestOf(request)),
    response: contract.checkResponse(target, response),
  };
}

/** The one problem the description reports for any 204: it documents a JSON body there. */
function noContentProblem(exchange: FakeJiraExchange): string[] {
  if (exchange.response.status !== 204) return [];
  const template = contract.match(exchange.request.method, exchange.request.path)?.pathTemplate;
  return [
    `${exchange.request.method} ${template} response 204 body: is empty, but application/json is documented`,
  ];
}

/** Asserts one exchange conforms, allowing only the documented gaps of the description. */
function expectConforming(exchange: FakeJiraExchange): void {
  const { request, response } = checked(exchange);
  const where = `${exchange.request.method} ${exchange.request.url} → ${exchange.response.status}`;
  if (exchange.request.path !== '/rest/api/3/search/jql') {
    expect({ where, request, response }).toEqual({
      where,
      request: [],
      response: noContentProblem(exchange),
    });
    return;
  }
  expect({ where, request, response }).toEqual({
    where,
    request: [SEARCH_JQL_UNDOCUMENTED],
    response: [SEARCH_JQL_UNDOCUMENTED],
  });
  const body = exchange.request.json() as Record<string, unknown>;
  expect(SEARCH_JQL_BODY_FIELDS).toEqual(expect.arrayContaining(Object.keys(body)));
  expect(typeof body.jql).toBe('string');
  expect(Number.isInteger(body.maxResults)).toBe(true);
  const answer = exchange.response.body as {
    issues?: { key?: string; id: string }[];
    errorMessages?: unknown;
  };
  if (exchange.response.status !== 200) {
    expect(answer).toEqual({ errorMessages: expect.any(Array), errors: expect.any(Object) });
    return;
  }
  for (const issue of answer.issues ?? []) {
    const asIssue = { method: 'GET', url: `/rest/api/3/issue/${issue.key ?? issue.id}` };
    expect(
      contract.checkResponse(asIssue, { status: 200, headers: exchange.response.headers, body: issue }),
    ).toEqual([]);
  }
}

describe('Jira connector and fake against the published REST v3 description', () => {
  it('every operation sends documented requests, and the fake answers in documented shapes', async () => {
    await using bed = await startJiraTestBed();
    const j = bed.jira;
    const called = new Set<string>();
    const call = async <K extends keyof typeof jira.operations & string>(
      operation: K,
      input: Parameters<typeof j.call<K>>[1],
    ) => {
      called.add(operation);
      return j.call(operation, input);
    };
    await call('find_project', { name: 'platform' });
    await call('list_projects', { limit: 3, query: 'o', orderBy: '-name' });
    await call('get_project', { key: 'PROJ' });
    await call('list_project_statuses', { projectKey: 'OPS' });
    const page = await call('search_issues', {
      project: 'PROJ',
      labels: ['backend'],
      text: 'retry',
      limit: 1,
      orderBy: [{ field: 'key' }],
    });
    await call('search_issues', { jql: 'project = PROJ', limit: 2, nextPageToken: page.nextPageToken! });
    await call('get_issue', { issueKey: 'PROJ-3', expand: ['transitions', 'names'] });
    await call('get_issue', { issueKey: 'PROJ-1', fields: ['*all'] });
    await call('create_issue', {
      projectKey: 'PROJ',
      summary: 'Contract',
      issueType: 'Bug',
      description: 'line one\nline two\n\nsecond paragraph',
      priority: 'High',
      labels: ['contract'],
      assigneeAccountId: '5d53f3cbc6b9320d9ea5bdc2',
      parentKey: 'PROJ-2',
      dueDate: '2024-12-24',
      fields: { customfield_10016: 3 },
    });
    await call('update_issue', {
      issueKey: 'PROJ-6',
      summary: 'Contract v2',
      description: null,
      addLabels: ['x'],
      removeLabels: ['contract'],
    });
    await call('update_issue', { issueKey: 'PROJ-6', labels: ['y'], dueDate: null, priority: 'Low' });
    await call('assign_issue', { issueKey: 'PROJ-6', accountId: '60e5a86a471e61006a4b7f21' });
    await call('list_transitions', { issueKey: 'PROJ-6' });
    await call('transition_issue', { issueKey: 'PROJ-6', toStatus: 'In Progress', comment: 'started' });
    await call('transition_issue', {
      issueKey: 'PROJ-6',
      transitionId: '31',
      fields: { customfield_10020: 'sprint' },
    });
    await call('add_comment', {
      issueKey: 'PROJ-6',
      body: 'plain',
      visibility: { type: 'role', value: 'Developers' },
    });
    await call('list_comments', { issueKey: 'PROJ-6', orderBy: '-created', limit: 1 });
    await call('list_users', { includeApps: true });
    await call('search_users', { query: 'bob' });
    await call('get_current_user', {});

    expect([...called].sort()).toEqual(Object.keys(jira.operations).sort());
    expect(bed.fake.exchanges.length).toBeGreaterThanOrEqual(called.size);
    expect(bed.fake.exchanges.length).toBe(bed.fake.requests.length);
    for (const exchange of bed.fake.exchanges) expectConforming(exchange);
  });

  it("Jira's refusals (400, 401, 404) and a 429 where one is documented conform too", async () => {
    await using bed = await startJiraTestBed();
    const j = bed.jira;
    const failures = [
      () => j.call('create_issue', { projectKey: 'OPS', summary: 'x', issueType: 'Bug' }),
      () => j.call('get_issue', { issueKey: 'PROJ-99' }),
      () => j.call('get_project', { key: 'NOPE' }),
      () => j.call('list_project_statuses', { projectKey: 'NOPE' }),
      () => j.call('transition_issue', { issueKey: 'PROJ-1', transitionId: '99' }),
      () => j.call('add_comment', { issueKey: 'PROJ-99', body: 'x' }),
      () => j.call('list_comments', { issueKey: 'PROJ-99' }),
      () => j.call('update_issue', { issueKey: 'PROJ-1', priority: 'Urgent' }),
      () => j.call('assign_issue', { issueKey: 'PROJ-1', accountId: 'no-such-user' }),
      () => j.call('search_issues', { jql: 'project = = PROJ' }),
    ];
    for (const failure of failures)
      await expect(failure()).rejects.toMatchObject({ type: 'IntegrationPermanentError' });
    bed.fake.rateLimit(120);
    await expect(j.call('search_users', { query: 'a' })).rejects.toMatchObject({
      type: 'IntegrationRateLimited',
    });

    await using denied = await startJiraTestBed({}, { apiToken: 'wrong-token' });
    for (const failure of [
      () => denied.jira.call('get_project', { key: 'PROJ' }),
      () => denied.jira.call('list_transitions', { issueKey: 'PROJ-1' }),
      () => denied.jira.call('create_issue', { projectKey: 'PROJ', summary: 'x' }),
    ]) {
      await expect(failure()).rejects.toMatchObject({ type: 'IntegrationAuthError' });
    }

    const exchanges = [...bed.fake.exchanges, ...denied.fake.exchanges];
    expect(exchanges.map((e) => e.response.status)).toEqual([
      400, 404, 404, 404, 400, 404, 404, 400, 400, 400, 429, 401, 401, 401,
    ]);
    for (const exchange of exchanges) expectConforming(exchange);
  });

  it('reports the gaps of the description exactly (so a newer description shows up here)', async () => {
    await using bed = await startJiraTestBed();
    await bed.jira.call('assign_issue', { issueKey: 'PROJ-1', accountId: null });
    bed.fake.rateLimit(120);
    await expect(bed.jira.call('get_project', { key: 'PROJ' })).rejects.toMatchObject({ status: 429 });
    const [unassign, limited] = bed.fake.exchanges.map(checked);
    expect(unassign).toEqual({
      request: ['PUT /rest/api/3/issue/{issueIdOrKey}/assignee request body: /accountId must be string'],
      response: [
        'PUT /rest/api/3/issue/{issueIdOrKey}/assignee response 204 body: is empty, but application/json is documented',
      ],
    });
    expect(limited).toEqual({
      request: [],
      response: [
        'GET /rest/api/3/project/{projectIdOrKey} response 429: status is not documented (documented: 200, 401, 404)',
      ],
    });
  });
});
