import { isErrorType } from '@patchbay/core';
import { rejectionOf } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { startJiraTestBed } from './test-setup.js';

describe('list_transitions', () => {
  it('lists what the issue can do from its current status', async () => {
    await using bed = await startJiraTestBed();
    const { transitions } = await bed.jira.call('list_transitions', { issueKey: 'PROJ-2' });
    expect(transitions.map((t) => [t.id, t.name, t.to?.name])).toEqual([
      ['11', 'Stop Progress', 'To Do'],
      ['41', 'Send to Review', 'In Review'],
      ['31', 'Done', 'Done'],
    ]);
    expect(bed.fake.requests[0]).toMatchObject({
      method: 'GET',
      url: '/rest/api/3/issue/PROJ-2/transitions',
    });
  });
});

describe('transition_issue (seed 002 workflows)', () => {
  it('moves by transition id with one POST', async () => {
    await using bed = await startJiraTestBed();
    expect(await bed.jira.call('transition_issue', { issueKey: 'PROJ-1', transitionId: '21' })).toEqual({
      issueKey: 'PROJ-1',
      transitionId: '21',
    });
    expect(bed.fake.requests.map((r) => [r.method, r.url, r.json()])).toEqual([
      ['POST', '/rest/api/3/issue/PROJ-1/transitions', { transition: { id: '21' } }],
    ]);
    expect(bed.fake.issue('PROJ-1')?.status).toBe('In Progress');
  });

  it('finds the transition by target status name (any case), and adds the comment as ADF', async () => {
    await using bed = await startJiraTestBed();
    const result = await bed.jira.call('transition_issue', {
      issueKey: 'PROJ-2',
      toStatus: 'in review',
      comment: 'Ready for review',
      fields: { customfield_10020: 'sprint-7' },
    });
    expect(result).toEqual({ issueKey: 'PROJ-2', transitionId: '41', toStatus: 'In Review' });
    expect(bed.fake.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/rest/api/3/issue/PROJ-2/transitions'],
      ['POST', '/rest/api/3/issue/PROJ-2/transitions'],
    ]);
    expect(bed.fake.requests[1]!.json()).toEqual({
      transition: { id: '41' },
      fields: { customfield_10020: 'sprint-7' },
      update: {
        comment: [
          {
            add: {
              body: {
                type: 'doc',
                version: 1,
                content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ready for review' }] }],
              },
            },
          },
        ],
      },
    });
    const issue = bed.fake.issue('PROJ-2')!;
    expect(issue.status).toBe('In Review');
    expect(issue.comments?.at(-1)).toMatchObject({ authorAccountId: '5b10a2844c20165700ede21g' });
  });

  it('also takes a transition name', async () => {
    await using bed = await startJiraTestBed();
    const result = await bed.jira.call('transition_issue', { issueKey: 'PROJ-3', toStatus: 'Reopen' });
    expect(result).toEqual({ issueKey: 'PROJ-3', transitionId: '61', toStatus: 'To Do' });
    expect(bed.fake.issue('PROJ-3')?.status).toBe('To Do');
  });

  it('refuses a status the workflow cannot reach from here, naming what it can, and posts nothing', async () => {
    await using bed = await startJiraTestBed();
    const error = await rejectionOf(
      bed.jira.call('transition_issue', { issueKey: 'PROJ-1', toStatus: 'In Review' }),
      (e) => isErrorType(e, 'IntegrationValidationError'),
    );
    expect(error.message).toBe(
      'Issue PROJ-1 has no transition to status "In Review" now; available: "Start Progress" (id 21) → In Progress, "Done" (id 31) → Done',
    );
    expect(error.issues).toEqual([
      {
        path: 'toStatus',
        message:
          'no transition to this status; available: "Start Progress" (id 21) → In Progress, "Done" (id 31) → Done',
      },
    ]);
    expect(error).toMatchObject({ integration: 'jira', operation: 'transition_issue', httpStatus: 400 });
    expect(bed.fake.requests.map((r) => r.method)).toEqual(['GET']);
    expect(bed.fake.issue('PROJ-1')?.status).toBe('To Do');
  });

  it("reports Jira's refusal of an id that is not available, and does not retry the POST", async () => {
    await using bed = await startJiraTestBed();
    await expect(
      bed.jira.call('transition_issue', { issueKey: 'PROJ-1', transitionId: '61' }),
    ).rejects.toMatchObject({
      type: 'IntegrationPermanentError',
      status: 400,
      message: expect.stringMatching(/: Transition id '61' is not valid for this issue\.$/),
    });
    expect(bed.fake.requests).toHaveLength(1);
  });

  it('needs exactly one of transitionId and toStatus', async () => {
    await using bed = await startJiraTestBed();
    for (const input of [
      { issueKey: 'PROJ-1' },
      { issueKey: 'PROJ-1', transitionId: '21', toStatus: 'Done' },
    ]) {
      await expect(bed.jira.call('transition_issue', input)).rejects.toMatchObject({
        type: 'IntegrationValidationError',
        issues: [{ path: 'toStatus', message: 'give exactly one of transitionId and toStatus' }],
      });
    }
    expect(bed.fake.requests).toHaveLength(0);
  });
});
