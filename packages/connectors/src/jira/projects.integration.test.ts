import { isErrorType } from '@patchbay/core';
import { type FakeJiraProject, rejectionOf } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { startJiraTestBed } from './test-setup.js';

/** `count` projects named "Alpha Team 001".."Alpha Team NNN", keys T001.., for paging. */
function teams(count: number): FakeJiraProject[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return { id: String(20_000 + i), key: `T${n}`, name: `Alpha Team ${n}` };
  });
}

describe('find_project (seed 002 project finder)', () => {
  it('finds a project by exact name, case-insensitively, through GET /project/search with query', async () => {
    await using bed = await startJiraTestBed();
    const found = await bed.jira.call('find_project', { name: 'mobile APP' });
    expect(found).toMatchObject({
      match: 'exact',
      project: { key: 'MOB', name: 'Mobile App', id: '10001' },
      candidates: [],
    });
    const [request] = bed.fake.requests;
    expect(request).toMatchObject({
      method: 'GET',
      path: '/rest/api/3/project/search',
      query: { query: 'mobile APP', orderBy: 'name', startAt: '0', maxResults: '100' },
    });
    expect(request!.headers.authorization).toBe(bed.basicAuth);
    expect(bed.basicAuth).toBe(
      `Basic ${Buffer.from('agent@acme.test:fake-jira-api-token').toString('base64')}`,
    );
  });

  it('prefers the exact name over names that contain it, then falls back to contains with candidates', async () => {
    await using bed = await startJiraTestBed({
      data: {
        projects: [
          { id: '1', key: 'OPSX', name: 'Operations Extra' },
          { id: '2', key: 'OPS', name: 'Operations' },
          { id: '3', key: 'POPS', name: 'Pop Operations' },
        ],
      },
    });
    expect(await bed.jira.call('find_project', { name: 'operations' })).toMatchObject({
      match: 'exact',
      project: { key: 'OPS' },
      candidates: [
        { id: '1', key: 'OPSX', name: 'Operations Extra' },
        { id: '3', key: 'POPS', name: 'Pop Operations' },
      ],
    });
    expect(await bed.jira.call('find_project', { name: 'pop' })).toMatchObject({
      match: 'contains',
      project: { key: 'POPS' },
      candidates: [],
    });
    expect(await bed.jira.call('find_project', { name: 'opsx' })).toMatchObject({
      match: 'key',
      project: { key: 'OPSX' },
    });
  });

  it('answers null when nothing matches', async () => {
    await using bed = await startJiraTestBed();
    expect(await bed.jira.call('find_project', { name: 'Nonexistent' })).toEqual({
      project: null,
      match: null,
      candidates: [],
    });
  });

  it('pages through every match, so a project on a later page is still found', async () => {
    // Sorted by name, "Team" comes after the 140 "Alpha Team …" that also contain "team".
    await using bed = await startJiraTestBed({
      data: { projects: [...teams(140), { id: '9', key: 'ZZ', name: 'Team' }] },
    });
    const found = await bed.jira.call('find_project', { name: 'TEAM' });
    expect(found).toMatchObject({ match: 'exact', project: { key: 'ZZ' } });
    expect(found.candidates).toHaveLength(10);
    expect(bed.fake.requests.map((r) => [r.query.startAt, r.query.maxResults])).toEqual([
      ['0', '100'],
      ['100', '100'],
    ]);
  });
});

describe('list_projects (startAt / maxResults / total pagination)', () => {
  it('collects pages up to the limit and says where to continue', async () => {
    await using bed = await startJiraTestBed({ data: { projects: teams(230) } });
    const page = await bed.jira.call('list_projects', { limit: 150 });
    expect(page.projects).toHaveLength(150);
    expect(page.projects[0]).toMatchObject({ key: 'T001', name: 'Alpha Team 001' });
    expect(page.projects[149]).toMatchObject({ key: 'T150' });
    expect(page).toMatchObject({ total: 230, nextStartAt: 150 });
    expect(bed.fake.requests.map((r) => r.query)).toEqual([
      { orderBy: 'key', startAt: '0', maxResults: '100' },
      { orderBy: 'key', startAt: '100', maxResults: '50' },
    ]);

    const rest = await bed.jira.call('list_projects', { limit: 1000, startAt: page.nextStartAt! });
    expect(rest.projects.map((p) => p.key)).toEqual(
      teams(230)
        .slice(150)
        .map((p) => p.key),
    );
    expect(rest).not.toHaveProperty('nextStartAt');
    expect(bed.fake.requests.slice(2).map((r) => [r.query.startAt, r.query.maxResults])).toEqual([
      ['150', '100'],
    ]);
  });

  it('filters by query and sorts as asked', async () => {
    await using bed = await startJiraTestBed();
    const page = await bed.jira.call('list_projects', { query: 'platform', orderBy: '-name' });
    expect(page.projects.map((p) => p.name)).toEqual(['Platform Tools', 'Patchbay Platform']);
    expect(page.total).toBe(2);
    expect(bed.fake.requests[0]!.query).toEqual({
      query: 'platform',
      orderBy: '-name',
      startAt: '0',
      maxResults: '50',
    });
  });
});

describe('get_project and list_project_statuses', () => {
  it('gets a project by key or numeric id, with the issue types it offers', async () => {
    await using bed = await startJiraTestBed();
    const project = await bed.jira.call('get_project', { key: 'OPS' });
    expect(project).toMatchObject({
      key: 'OPS',
      name: 'Operations',
      projectTypeKey: 'business',
      issueTypes: [{ name: 'Task' }, { name: 'Subtask', subtask: true }],
    });
    expect(bed.fake.requests[0]).toMatchObject({ method: 'GET', url: '/rest/api/3/project/OPS' });
    expect(await bed.jira.call('get_project', { key: '10001' })).toMatchObject({ key: 'MOB' });
  });

  it('refuses a key that could escape the path before any request', async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(bed.jira.call('get_project', { key: '../issue/PROJ-1' }), (e) =>
      isErrorType(e, 'IntegrationValidationError'),
    );
    expect(error.issues).toEqual([
      { path: 'key', message: 'must be a project key such as PROJ, or a numeric id' },
    ]);
    expect(bed.fake.requests).toHaveLength(0);
  });

  it("turns Jira's 404 into a permanent error carrying Jira's message", async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(bed.jira.call('get_project', { key: 'NOPE' }), (e) =>
      isErrorType(e, 'IntegrationPermanentError'),
    );
    expect(error).toMatchObject({
      status: 404,
      retryable: false,
      integration: 'jira',
      operation: 'get_project',
    });
    expect(error.message).toBe(
      `Request rejected (HTTP 404) on GET ${bed.fake.url}/rest/api/3/project/NOPE: No project could be found with key 'NOPE'.`,
    );
  });

  it('lists the workflow statuses per issue type', async () => {
    await using bed = await startJiraTestBed();
    const { issueTypes } = await bed.jira.call('list_project_statuses', { projectKey: 'PROJ' });
    expect(issueTypes.map((t) => t.name)).toEqual(['Epic', 'Task', 'Bug', 'Story', 'Subtask']);
    expect(issueTypes[0]!.statuses.map((s) => [s.name, s.statusCategory?.key])).toEqual([
      ['To Do', 'new'],
      ['In Progress', 'indeterminate'],
      ['In Review', 'indeterminate'],
      ['Done', 'done'],
    ]);
    expect(bed.fake.requests[0]!.url).toBe('/rest/api/3/project/PROJ/statuses');
  });
});
