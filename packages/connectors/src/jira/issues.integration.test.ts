import { isErrorType } from '@patchbay/core';
import { rejectionOf } from '@patchbay/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { DEFAULT_ISSUE_FIELDS } from './operations/issues.js';
import { startJiraTestBed } from './test-setup.js';

const ALICE = '5d53f3cbc6b9320d9ea5bdc2';
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const text = (t: string) => ({ type: 'text', text: t });

describe('get_issue', () => {
  it('gets an issue with the default fields, and its description as plain text', async () => {
    await using bed = await startJiraTestBed();
    const issue = await bed.jira.call('get_issue', { issueKey: 'PROJ-1' });
    expect(issue).toMatchObject({
      key: 'PROJ-1',
      id: '10100',
      fields: {
        summary: 'Webhook retries ignore Retry-After',
        status: { name: 'To Do' },
        assignee: { accountId: ALICE, displayName: 'Alice Nguyen' },
        labels: ['backend', 'resilience'],
      },
      descriptionText: 'The webhook sender retries at once after a 429.',
    });
    const [request] = bed.fake.requests;
    expect(request).toMatchObject({ method: 'GET', path: '/rest/api/3/issue/PROJ-1' });
    expect(request!.query).toEqual({ fields: DEFAULT_ISSUE_FIELDS.join(',') });
    expect(request!.headers.authorization).toBe(bed.basicAuth);
  });

  it('asks for the named fields and expansions only', async () => {
    await using bed = await startJiraTestBed();
    const issue = await bed.jira.call('get_issue', {
      issueKey: 'proj-3',
      fields: ['summary', 'status'],
      expand: ['transitions'],
    });
    expect(Object.keys(issue.fields).sort()).toEqual(['status', 'summary']);
    expect(issue).not.toHaveProperty('descriptionText');
    expect(issue.transitions).toEqual([expect.objectContaining({ id: '61', name: 'Reopen' })]);
    expect(bed.fake.requests[0]!.query).toEqual({ fields: 'summary,status', expand: 'transitions' });
  });

  it("turns a missing issue into a permanent error with Jira's message", async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(bed.jira.call('get_issue', { issueKey: 'PROJ-999' }), (e) =>
      isErrorType(e, 'IntegrationPermanentError'),
    );
    expect(error).toMatchObject({ status: 404, operation: 'get_issue', retryable: false });
    expect(error.message).toMatch(/: Issue does not exist or you do not have permission to see it\.$/);
  });
});

describe('create_issue', () => {
  it('sends every field in Jira’s shape, the description as ADF, and returns the new key and its URL', async () => {
    await using bed = await startJiraTestBed();
    const created = await bed.jira.call('create_issue', {
      projectKey: 'PROJ',
      summary: 'Retry budget per tenant',
      issueType: 'Story',
      description: 'Why:\nfair sharing\n\nHow: a bucket per tenant',
      priority: 'High',
      labels: ['backend', 'tenancy'],
      assigneeAccountId: ALICE,
      parentKey: 'PROJ-2',
      dueDate: '2024-09-30',
      fields: { customfield_10016: 5, summary: 'ignored: the named input wins' },
    });
    expectTypeOf(created).toEqualTypeOf<{ id: string; key: string; self: string; url: string }>();
    expect(created).toEqual({
      id: expect.any(String),
      key: 'PROJ-6',
      self: `${bed.fake.url}/rest/api/3/issue/${created.id}`,
      url: `${bed.fake.url}/browse/PROJ-6`,
    });
    const [request] = bed.fake.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/rest/api/3/issue' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json()).toEqual({
      fields: {
        customfield_10016: 5,
        project: { key: 'PROJ' },
        summary: 'Retry budget per tenant',
        issuetype: { name: 'Story' },
        description: {
          type: 'doc',
          version: 1,
          content: [
            paragraph(text('Why:'), { type: 'hardBreak' }, text('fair sharing')),
            paragraph(text('How: a bucket per tenant')),
          ],
        },
        priority: { name: 'High' },
        labels: ['backend', 'tenancy'],
        assignee: { accountId: ALICE },
        parent: { key: 'PROJ-2' },
        duedate: '2024-09-30',
      },
    });
    expect(bed.fake.issue('PROJ-6')).toMatchObject({
      summary: 'Retry budget per tenant',
      issueType: 'Story',
      status: 'To Do',
      priority: 'High',
      assigneeAccountId: ALICE,
      parentKey: 'PROJ-2',
      duedate: '2024-09-30',
      customFields: { customfield_10016: 5 },
    });
  });

  it('defaults the issue type to Task (seed 002), passes an ADF description through, and takes a numeric project id', async () => {
    await using bed = await startJiraTestBed();
    const doc = {
      type: 'doc' as const,
      version: 1 as const,
      content: [{ type: 'codeBlock', content: [text('npm ci')] }],
    };
    const created = await bed.jira.call('create_issue', {
      projectKey: '10003',
      summary: 'Rotate keys',
      description: doc,
    });
    expect(created.key).toBe('OPS-1');
    expect(bed.fake.requests[0]!.json()).toEqual({
      fields: {
        project: { id: '10003' },
        summary: 'Rotate keys',
        issuetype: { name: 'Task' },
        description: doc,
      },
    });
  });

  it("surfaces Jira's field errors in the permanent error, and does not retry a create", async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(
      bed.jira.call('create_issue', {
        projectKey: 'OPS',
        summary: 'Bug in ops',
        issueType: 'Bug',
        priority: 'Urgent',
      }),
      (e) => isErrorType(e, 'IntegrationPermanentError'),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      `Request rejected (HTTP 400) on POST ${bed.fake.url}/rest/api/3/issue: issuetype: Specify a valid issue type; priority: Priority name 'Urgent' is not valid`,
    );
    expect(bed.fake.requests).toHaveLength(1);
  });

  it('refuses a summary with a newline or labels with spaces before sending', async () => {
    await using bed = await startJiraTestBed();
    // @ts-expect-error: summary is required, and the compiler says so
    await expect(bed.jira.call('create_issue', { projectKey: 'PROJ' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'summary', message: expect.any(String) }],
    });
    const error = await rejectionOf(
      bed.jira.call('create_issue', { projectKey: 'PROJ', summary: 'two\nlines', labels: ['has space'] }),
      (e) => isErrorType(e, 'IntegrationValidationError'),
    );
    expect(error.issues).toEqual([
      { path: 'summary', message: 'must be one line' },
      { path: 'labels.0', message: 'must not contain spaces' },
    ]);
    expect(bed.fake.requests).toHaveLength(0);
  });
});

describe('update_issue', () => {
  it('PUTs fields, clears with null, and adds or removes labels through update', async () => {
    await using bed = await startJiraTestBed();
    const result = await bed.jira.call('update_issue', {
      issueKey: 'PROJ-1',
      summary: 'Webhook retries honour Retry-After',
      description: null,
      priority: 'Highest',
      dueDate: '2024-08-01',
      addLabels: ['webhooks'],
      removeLabels: ['backend'],
    });
    expect(result).toEqual({ issueKey: 'PROJ-1', updated: true });
    expect(bed.fake.requests[0]).toMatchObject({ method: 'PUT', url: '/rest/api/3/issue/PROJ-1' });
    expect(bed.fake.requests[0]!.json()).toEqual({
      fields: {
        summary: 'Webhook retries honour Retry-After',
        description: null,
        priority: { name: 'Highest' },
        duedate: '2024-08-01',
      },
      update: { labels: [{ add: 'webhooks' }, { remove: 'backend' }] },
    });
    expect(bed.fake.issue('PROJ-1')).toMatchObject({
      summary: 'Webhook retries honour Retry-After',
      description: null,
      priority: 'Highest',
      labels: ['resilience', 'webhooks'],
    });
  });

  it('replaces labels and the description (as ADF) when asked', async () => {
    await using bed = await startJiraTestBed();
    await bed.jira.call('update_issue', {
      issueKey: 'PROJ-2',
      labels: ['ui'],
      description: 'Now with colours',
    });
    expect(bed.fake.requests[0]!.json()).toEqual({
      fields: {
        labels: ['ui'],
        description: { type: 'doc', version: 1, content: [paragraph(text('Now with colours'))] },
      },
    });
    expect(bed.fake.issue('PROJ-2')?.labels).toEqual(['ui']);
  });

  it('refuses an edit with no change, or with labels both replaced and added', async () => {
    await using bed = await startJiraTestBed();
    await expect(bed.jira.call('update_issue', { issueKey: 'PROJ-2' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      message: expect.stringMatching(/give at least one change/),
    });
    await expect(
      bed.jira.call('update_issue', { issueKey: 'PROJ-2', labels: ['a'], addLabels: ['b'] }),
    ).rejects.toMatchObject({
      issues: [{ path: 'labels', message: 'give labels (replace all) or addLabels/removeLabels, not both' }],
    });
    expect(bed.fake.requests).toHaveLength(0);
  });
});

describe('assign_issue', () => {
  it('assigns by accountId and unassigns with null', async () => {
    await using bed = await startJiraTestBed();
    expect(await bed.jira.call('assign_issue', { issueKey: 'PROJ-3', accountId: ALICE })).toEqual({
      issueKey: 'PROJ-3',
      accountId: ALICE,
    });
    expect(bed.fake.issue('PROJ-3')?.assigneeAccountId).toBe(ALICE);
    await bed.jira.call('assign_issue', { issueKey: 'PROJ-3', accountId: null });
    expect(bed.fake.issue('PROJ-3')?.assigneeAccountId).toBeNull();
    expect(bed.fake.requests.map((r) => [r.method, r.url, r.json()])).toEqual([
      ['PUT', '/rest/api/3/issue/PROJ-3/assignee', { accountId: ALICE }],
      ['PUT', '/rest/api/3/issue/PROJ-3/assignee', { accountId: null }],
    ]);
  });

  it("reports Jira's refusal of a deactivated user", async () => {
    await using bed = await startJiraTestBed();
    await expect(
      bed.jira.call('assign_issue', { issueKey: 'PROJ-3', accountId: '5a9f1c2e3d4b5a6c7d8e9f01' }),
    ).rejects.toMatchObject({
      type: 'IntegrationPermanentError',
      status: 400,
      message: expect.stringMatching(
        /: assignee: User '5a9f1c2e3d4b5a6c7d8e9f01' cannot be assigned issues\.$/,
      ),
    });
  });
});
