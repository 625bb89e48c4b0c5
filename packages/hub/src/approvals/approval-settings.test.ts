import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { APPROVAL_SETTINGS, ApprovalPolicy, parseApprovalSettings } from './approval-settings.js';

describe('approval settings', () => {
  it('reads the patterns as the env gives them and as a file gives them, with a 300 s default', () => {
    expect(
      parseApprovalSettings({ required: 'transactions.commit_draft, slack.*  jira.create_issue' }),
    ).toEqual({
      required: ['transactions.commit_draft', 'slack.*', 'jira.create_issue'],
      timeoutSeconds: 300,
    });
    expect(parseApprovalSettings({ required: ['a.b'], timeoutSeconds: '2.5' })).toEqual({
      required: ['a.b'],
      timeoutSeconds: 2.5,
    });
    expect(parseApprovalSettings(undefined)).toEqual({ required: [], timeoutSeconds: 300 });
  });

  it('names the bad pattern or timeout', () => {
    const issues = (value: unknown) => {
      try {
        parseApprovalSettings(value);
        return [];
      } catch (error) {
        return (error as z.ZodError).issues.map((i) => i.path.join('.'));
      }
    };
    expect(issues({ required: 'slack.*, nodot' })).toEqual(['required.1']);
    expect(issues({ timeoutSeconds: '0' })).toEqual(['timeoutSeconds']);
    expect(issues({ timeoutSeconds: 'soon' })).toEqual(['timeoutSeconds']);
  });

  it('offers the same schemas as hub settings (env names and defaults)', () => {
    expect(APPROVAL_SETTINGS.approvalRequired.env).toBe('PATCHBAY_APPROVAL_REQUIRED');
    expect(APPROVAL_SETTINGS.approvalTimeout.env).toBe('PATCHBAY_APPROVAL_TIMEOUT');
    expect(z.parse(APPROVAL_SETTINGS.approvalRequired.schema, 'a.b,c.*')).toEqual(['a.b', 'c.*']);
    expect(z.parse(APPROVAL_SETTINGS.approvalTimeout.schema, '60')).toBe(60);
  });

  it('matches integration.operation globs part by part', () => {
    const policy = new ApprovalPolicy(
      parseApprovalSettings({
        required: 'transactions.commit_draft, slack.*, *.delete_*',
        timeoutSeconds: 1.5,
      }),
    );
    expect(policy.timeoutMs).toBe(1500);
    expect(policy.matches('transactions', 'commit_draft')).toBe(true);
    expect(policy.matches('transactions', 'commit_draft_2')).toBe(false);
    expect(policy.matches('slack', 'post_message')).toBe(true);
    expect(policy.matches('slackish', 'post_message')).toBe(false);
    expect(policy.matches('github', 'delete_repo')).toBe(true);
    expect(policy.matches('github', 'create_issue')).toBe(false);
    expect(new ApprovalPolicy(parseApprovalSettings({})).empty).toBe(true);
  });
});
