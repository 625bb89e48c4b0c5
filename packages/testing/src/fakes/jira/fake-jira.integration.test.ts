import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeJira, startFakeJira } from './fake-jira.js';

let jira: FakeJira;
beforeEach(async () => {
  jira = await startFakeJira({ now: () => Date.parse('2024-07-01T12:00:00.000Z') });
});
afterEach(async () => {
  await jira.close();
});

async function call(method: string, path: string, body?: unknown, auth = true) {
  const headers: Record<string, string> = {};
  if (auth)
    headers.authorization = `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${jira.url}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

const search = (jql: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/rest/api/3/search/jql', { jql, fields: ['summary'], ...extra });
const keys = (body: Record<string, unknown>) => (body.issues as { key: string }[]).map((i) => i.key);

describe('fake Jira: auth and unknown paths', () => {
  it('answers 401 with a Jira error body to a missing or wrong credential', async () => {
    const res = await call('GET', '/rest/api/3/myself', undefined, false);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="protected-area"');
    expect(res.body).toEqual({
      errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
      errors: {},
    });
    const me = await call('GET', '/rest/api/3/myself');
    expect(me.body).toMatchObject({ accountId: '5b10a2844c20165700ede21g', emailAddress: 'agent@acme.test' });
  });

  it('answers an unknown path with 404 and the retired /search with 410', async () => {
    expect(await call('GET', '/rest/api/3/nothing/here')).toMatchObject({
      status: 404,
      body: { errorMessages: ['Not Found'] },
    });
    const retired = await call('POST', '/rest/api/3/search', { jql: 'project = PROJ' });
    expect(retired.status).toBe(410);
    expect((retired.body.errorMessages as string[])[0]).toMatch(
      /migrate to the \/rest\/api\/3\/search\/jql API/,
    );
  });
});

describe('fake Jira: JQL search', () => {
  it('filters and sorts with the JQL subset', async () => {
    expect(keys((await search('project = PROJ AND labels = backend ORDER BY key ASC')).body)).toEqual([
      'PROJ-1',
      'PROJ-4',
    ]);
    expect(
      keys((await search('status IN ("To Do", Done) AND project = "PROJ" ORDER BY created')).body),
    ).toEqual(['PROJ-1', 'PROJ-3', 'PROJ-5']);
    expect(keys((await search('assignee = currentUser()')).body)).toEqual(['PROJ-5']);
    expect(keys((await search('project = MOB AND assignee IS EMPTY')).body)).toEqual(['MOB-2']);
    expect(keys((await search('text ~ "hanging probe" OR comment ~ rotated ORDER BY key')).body)).toEqual([
      'PROJ-3',
      'PROJ-4',
    ]);
    expect(keys((await search('priority > Medium AND project = PROJ ORDER BY priority DESC')).body)).toEqual([
      'PROJ-4',
      'PROJ-1',
    ]);
    expect(
      keys((await search('created >= "2024-04-01" AND created < "2024-06-01" ORDER BY created DESC')).body),
    ).toEqual(['PROJ-5', 'PROJ-4']);
    expect(keys((await search('updated >= -60d')).body)).toEqual(['SECRET-1']);
  });

  it('refuses malformed JQL, unknown fields and values that do not exist with 400 and Jira’s messages', async () => {
    expect(await search('project = "PROJ')).toMatchObject({
      status: 400,
      body: {
        errorMessages: [
          "Error in the JQL Query: The quoted string 'PROJ' has not been completed. (line 1, character 11)",
        ],
        errors: {},
      },
    });
    expect(await search('colour = red AND status = Nope')).toMatchObject({
      status: 400,
      body: {
        errorMessages: [
          "Field 'colour' does not exist or you do not have permission to view it.",
          "The value 'Nope' does not exist for the field 'status'.",
        ],
      },
    });
    expect(await search('project ~ PROJ')).toMatchObject({
      body: { errorMessages: ["The operator '~' is not supported by the 'project' field."] },
    });
    expect(await search('created > "2024-02-31"')).toMatchObject({ status: 400 });
    expect(await search('ORDER BY created')).toMatchObject({
      status: 400,
      body: {
        errorMessages: [
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        ],
      },
    });
    expect(await search('project = PROJ', { startAt: 0 })).toMatchObject({
      status: 400,
      body: { errorMessages: ['Unrecognized field "startAt".'] },
    });
  });

  it('pages with nextPageToken until isLast, and refuses a token from another query', async () => {
    const jql = 'project = PROJ ORDER BY key';
    const first = await search(jql, { maxResults: 2 });
    expect(keys(first.body)).toEqual(['PROJ-1', 'PROJ-2']);
    expect(first.body).toMatchObject({ isLast: false, nextPageToken: expect.any(String) });
    const second = await search(jql, { maxResults: 2, nextPageToken: first.body.nextPageToken });
    expect(keys(second.body)).toEqual(['PROJ-3', 'PROJ-4']);
    const third = await search(jql, { maxResults: 2, nextPageToken: second.body.nextPageToken });
    expect(keys(third.body)).toEqual(['PROJ-5']);
    expect(third.body).toEqual({ issues: expect.any(Array), isLast: true });
    expect(await search('project = MOB', { nextPageToken: first.body.nextPageToken })).toMatchObject({
      status: 400,
      body: { errorMessages: ['The provided next page token is invalid or expired.'] },
    });
  });

  it('returns only ids when no fields are asked for, as /search/jql does', async () => {
    const res = await call('POST', '/rest/api/3/search/jql', { jql: 'key = PROJ-1' });
    expect(res.body).toEqual({ issues: [{ id: '10100' }], isLast: true });
  });
});

describe('fake Jira: projects', () => {
  it('pages project search with startAt, maxResults, total, isLast and nextPage', async () => {
    const first = await call('GET', '/rest/api/3/project/search?maxResults=4');
    expect(first.body).toMatchObject({ startAt: 0, maxResults: 4, total: 6, isLast: false });
    expect((first.body.values as { key: string }[]).map((p) => p.key)).toEqual(['MOB', 'OPS', 'PROJ', 'PT']);
    expect(first.body.nextPage).toBe(`${jira.url}/rest/api/3/project/search?maxResults=4&startAt=4`);
    const second = await call('GET', '/rest/api/3/project/search?maxResults=4&startAt=4');
    expect(second.body).toMatchObject({ startAt: 4, total: 6, isLast: true });
    expect(second.body).not.toHaveProperty('nextPage');
    const found = await call('GET', '/rest/api/3/project/search?query=PLATFORM&orderBy=-name');
    expect((found.body.values as { name: string }[]).map((p) => p.name)).toEqual([
      'Platform Tools',
      'Patchbay Platform',
    ]);
  });

  it('answers a missing project with 404', async () => {
    expect(await call('GET', '/rest/api/3/project/NOPE')).toMatchObject({
      status: 404,
      body: { errorMessages: ["No project could be found with key 'NOPE'."] },
    });
  });
});

describe('fake Jira: issues, transitions and comments', () => {
  it('creates an issue with the next key, refusing bad fields field by field', async () => {
    const bad = await call('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'OPS' },
        issuetype: { name: 'Bug' },
        description: 'plain',
        labels: ['a b'],
        colour: 'red',
      },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        errorMessages: [],
        errors: {
          summary: 'You must specify a summary of the issue.',
          issuetype: 'Specify a valid issue type',
          description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
          labels: "The label 'a b' contains spaces which is invalid.",
          colour: "Field 'colour' cannot be set. It is not on the appropriate screen, or unknown.",
        },
      },
    });
    const created = await call('POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PROJ' }, issuetype: { name: 'bug' }, summary: 'New', customfield_10016: 5 },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { key: 'PROJ-6', self: `${jira.url}/rest/api/3/issue/${created.body.id}` },
    });
    expect(jira.issue('PROJ-6')).toMatchObject({
      summary: 'New',
      issueType: 'Bug',
      status: 'To Do',
      reporterAccountId: '5b10a2844c20165700ede21g',
      created: '2024-07-01T12:00:00.000Z',
      customFields: { customfield_10016: 5 },
    });
  });

  it('moves an issue through the workflow, adding the comment that came with the transition', async () => {
    const offered = await call('GET', '/rest/api/3/issue/PROJ-1/transitions');
    expect(
      (offered.body.transitions as { id: string; to: { name: string } }[]).map((t) => [t.id, t.to.name]),
    ).toEqual([
      ['21', 'In Progress'],
      ['31', 'Done'],
    ]);
    expect(
      await call('POST', '/rest/api/3/issue/PROJ-1/transitions', { transition: { id: '61' } }),
    ).toMatchObject({
      status: 400,
      body: { errorMessages: ["Transition id '61' is not valid for this issue."] },
    });
    const comment = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'on it' }] }],
    };
    const moved = await call('POST', '/rest/api/3/issue/PROJ-1/transitions', {
      transition: { id: '21' },
      update: { comment: [{ add: { body: comment } }] },
    });
    expect(moved.status).toBe(204);
    expect(jira.issue('PROJ-1')?.status).toBe('In Progress');
    expect(jira.issue('PROJ-1')?.comments?.[0]?.body).toEqual(comment);
  });

  it('pages comments with startAt, maxResults and total', async () => {
    const page = await call('GET', '/rest/api/3/issue/PROJ-3/comment?maxResults=1');
    expect(page.body).toMatchObject({ startAt: 0, maxResults: 1, total: 1, comments: [{ id: '10000' }] });
    expect(await call('GET', '/rest/api/3/issue/PROJ-99/comment')).toMatchObject({
      status: 404,
      body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] },
    });
  });
});

describe('fake Jira: faults', () => {
  it('answers the next calls with 429, Retry-After and an ISO-8601 X-RateLimit-Reset, then recovers', async () => {
    jira.rateLimit(30, 2);
    for (let i = 0; i < 2; i++) {
      const limited = await call('GET', '/rest/api/3/myself');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('30');
      expect(limited.headers.get('x-ratelimit-reset')).toBe('2024-07-01T12:00:30.000Z');
      expect(limited.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    }
    expect((await call('GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('fails the next call with the status asked for', async () => {
    jira.fail(503);
    expect(await call('GET', '/rest/api/3/myself')).toMatchObject({ status: 503, body: { errors: {} } });
    expect((await call('GET', '/rest/api/3/myself')).status).toBe(200);
  });
});
