import { defineOperation } from '@patchbay/core';
import { z } from 'zod';
import { adfToText, RichText, toAdf } from '../adf.js';
import { API, issuePath, type JiraContext } from '../config.js';
import { AccountId, IssueKey, JiraIssue, ProjectKey } from '../schemas.js';

/** Fields `get_issue` returns when the caller names none: the issue as a person reads it. */
export const DEFAULT_ISSUE_FIELDS = [
  'summary',
  'description',
  'status',
  'assignee',
  'reporter',
  'priority',
  'issuetype',
  'labels',
  'created',
  'updated',
  'duedate',
  'project',
  'parent',
  'comment',
] as const;

const Summary = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\r\n]*$/, 'must be one line')
  .describe('One-line title of the issue');
const Label = z.string().min(1).max(255).regex(/^\S+$/, 'must not contain spaces');
const Labels = z.array(Label).max(50);
const Priority = z.string().min(1).max(60).describe('Priority name, e.g. High, Medium, Low');
const DueDate = z.iso.date().describe('Due date, yyyy-MM-dd');
const ExtraFields = z
  .record(z.string().min(1), z.unknown())
  .describe(
    'Other fields by field id, as Jira takes them, e.g. {"customfield_10016": 5, "components": [{"name": "API"}]}; the named inputs win over these',
  );

/** The issue's page in the browser, on the site Jira names in `self` (`…/rest/api/3/issue/1` → `…/browse/KEY`). */
function browseUrl(self: string, key: string): string {
  const at = self.indexOf('/rest/api/');
  return `${at === -1 ? new URL(self).origin : self.slice(0, at)}/browse/${key}`;
}

export const get_issue = defineOperation({
  description:
    'Get one Jira issue by key: summary, description (also as plain text in descriptionText), status, assignee, reporter, priority, type, labels, dates, parent and comments. Name other fields in \'fields\' ("*all" for every field).',
  input: z.object({
    issueKey: IssueKey,
    fields: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(100)
      .default([...DEFAULT_ISSUE_FIELDS])
      .describe('Fields to return, e.g. ["summary","status"]; "*all" for every field'),
    expand: z
      .array(z.enum(['renderedFields', 'names', 'schema', 'transitions', 'editmeta', 'changelog']))
      .max(6)
      .optional()
      .describe('Extra sections Jira adds, e.g. ["transitions"] or ["changelog"]'),
  }),
  output: JiraIssue.extend({
    descriptionText: z.string().optional().describe('The description as plain text'),
  }),
  kind: 'read',
  async run(ctx: JiraContext, { issueKey, fields, expand }) {
    const issue = await ctx.http.get<{ fields?: Record<string, unknown> }>(issuePath(issueKey), {
      params: { fields: fields.join(','), expand: expand?.join(',') },
    });
    const description = issue.fields?.description;
    return description ? { ...issue, descriptionText: adfToText(description) } : issue;
  },
});

export const create_issue = defineOperation({
  description:
    'Create a Jira issue in a project: summary, issue type (default Task), description as plain text or Atlassian Document Format, priority, labels, assignee accountId, parent (for subtasks), due date and any other fields by id. Returns the new key (e.g. PROJ-124) and its browser URL.',
  input: z.object({
    projectKey: ProjectKey,
    summary: Summary,
    issueType: z
      .string()
      .min(1)
      .max(60)
      .default('Task')
      .describe('Issue type name the project offers, e.g. Task, Bug, Story, Subtask (see get_project)'),
    description: RichText.optional(),
    priority: Priority.optional(),
    labels: Labels.optional().describe('Labels (no spaces), e.g. ["backend","urgent"]'),
    assigneeAccountId: AccountId.optional(),
    parentKey: IssueKey.optional().describe('Parent issue key, for a subtask or a child of an epic'),
    dueDate: DueDate.optional(),
    fields: ExtraFields.optional(),
  }),
  output: z.object({
    id: z.string(),
    key: z.string(),
    self: z.string(),
    url: z.string().describe('The issue in the browser'),
  }),
  kind: 'write',
  async run(ctx: JiraContext, input) {
    const project = /^\d+$/.test(input.projectKey) ? { id: input.projectKey } : { key: input.projectKey };
    const fields: Record<string, unknown> = {
      ...input.fields,
      project,
      summary: input.summary,
      issuetype: { name: input.issueType },
    };
    if (input.description !== undefined) fields.description = toAdf(input.description);
    if (input.priority !== undefined) fields.priority = { name: input.priority };
    if (input.labels !== undefined) fields.labels = input.labels;
    if (input.assigneeAccountId !== undefined) fields.assignee = { accountId: input.assigneeAccountId };
    if (input.parentKey !== undefined) fields.parent = { key: input.parentKey };
    if (input.dueDate !== undefined) fields.duedate = input.dueDate;
    const created = await ctx.http.post<{ id: string; key: string; self: string }>(`${API}/issue`, {
      json: { fields },
    });
    return { ...created, url: browseUrl(created.self, created.key) };
  },
});

export const UpdateIssueInput = z
  .object({
    issueKey: IssueKey,
    summary: Summary.optional(),
    description: RichText.nullable().optional().describe('New description (text or ADF); null clears it'),
    priority: Priority.optional(),
    labels: Labels.optional().describe('Replaces every label'),
    addLabels: Labels.optional().describe('Labels to add, keeping the others'),
    removeLabels: Labels.optional().describe('Labels to remove, keeping the others'),
    dueDate: DueDate.nullable().optional().describe('New due date, yyyy-MM-dd; null clears it'),
    fields: ExtraFields.optional(),
  })
  .refine((i) => !(i.labels && (i.addLabels || i.removeLabels)), {
    message: 'give labels (replace all) or addLabels/removeLabels, not both',
    path: ['labels'],
  })
  .refine(
    (i) =>
      [i.summary, i.description, i.priority, i.labels, i.addLabels, i.removeLabels, i.dueDate, i.fields].some(
        (v) => v !== undefined,
      ),
    { message: 'give at least one change' },
  );

export const update_issue = defineOperation({
  description:
    'Edit a Jira issue: summary, description (text or ADF), priority, due date, labels (replace, or add/remove some), or any field by id. Status changes go through transition_issue, assignment through assign_issue.',
  input: UpdateIssueInput,
  output: z.object({ issueKey: z.string(), updated: z.literal(true) }),
  kind: 'write',
  // A PUT of the same fields leaves the issue the same, and label add/remove are idempotent.
  idempotent: true,
  async run(ctx: JiraContext, input) {
    const fields: Record<string, unknown> = { ...input.fields };
    if (input.summary !== undefined) fields.summary = input.summary;
    if (input.description !== undefined)
      fields.description = input.description === null ? null : toAdf(input.description);
    if (input.priority !== undefined) fields.priority = { name: input.priority };
    if (input.labels !== undefined) fields.labels = input.labels;
    if (input.dueDate !== undefined) fields.duedate = input.dueDate;
    const labelOps = [
      ...(input.addLabels ?? []).map((label) => ({ add: label })),
      ...(input.removeLabels ?? []).map((label) => ({ remove: label })),
    ];
    await ctx.http.put(issuePath(input.issueKey), {
      json: { fields, ...(labelOps.length > 0 && { update: { labels: labelOps } }) },
    });
    return { issueKey: input.issueKey, updated: true as const };
  },
});

export const assign_issue = defineOperation({
  description:
    'Assign a Jira issue to a user by accountId (find it with search_users), unassign it with null, or give it to the project default assignee with "-1".',
  input: z.object({
    issueKey: IssueKey,
    accountId: AccountId.nullable().describe(
      'accountId of the new assignee; null unassigns; "-1" picks the project default',
    ),
  }),
  output: z.object({ issueKey: z.string(), accountId: z.string().nullable() }),
  kind: 'write',
  idempotent: true,
  async run(ctx: JiraContext, { issueKey, accountId }) {
    await ctx.http.put(issuePath(issueKey, '/assignee'), { json: { accountId } });
    return { issueKey, accountId };
  },
});
