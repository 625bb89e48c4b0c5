import { z } from 'zod';
import { issueNumber, limit, owner, repo, sortDirection, timestamp } from '../inputs.js';
import { defineGitHubOperation } from '../operation.js';
import { walkPages } from '../paginate.js';
import { isoTimestamp, repoPath } from '../paths.js';
import { Issue, IssueComment } from '../schemas/issue.js';
import { listOf } from '../schemas/list.js';

const labels = z.array(z.string().min(1)).describe('Label names, e.g. ["bug", "good first issue"]');
const assignees = z
  .array(z.string().min(1))
  .describe('Logins of people to assign (they need access to the repository)');
const milestone = z.number().int().min(1).describe('Milestone number (not its title)');

export const list_issues = defineGitHubOperation({
  description:
    'List issues of a repository (pull requests left out), newest first: open, closed or all; ' +
    'by labels, assignee, creator, milestone, or updated since a time.',
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'closed', 'all']).default('open').describe('Which issues (default open)'),
    labels: labels.optional().describe('Only issues carrying every one of these labels'),
    assignee: z
      .string()
      .min(1)
      .optional()
      .describe('Only issues assigned to this login; "none" for unassigned, "*" for assigned to anyone'),
    creator: z.string().min(1).optional().describe('Only issues opened by this login'),
    milestone: z
      // A query string (the hub's GET routes) brings the number as text.
      .union([
        z.number().int().min(1),
        z.string().regex(/^([1-9]\d*|none|\*)$/, 'must be a number, "none" or "*"'),
      ])
      .optional()
      .describe('Milestone number; "none" for no milestone, "*" for any'),
    since: timestamp.optional().describe('Only issues updated at or after this time'),
    sort: z.enum(['created', 'updated', 'comments']).optional().describe('Sort key (default created)'),
    direction: sortDirection,
    limit: limit(30, 1000),
  }),
  output: listOf(Issue),
  kind: 'read',
  async run(ctx, input) {
    const walked = await walkPages(ctx, {
      path: repoPath(input.owner, input.repo, 'issues'),
      params: {
        state: input.state,
        labels: input.labels?.join(','),
        assignee: input.assignee,
        creator: input.creator,
        milestone: input.milestone,
        since: isoTimestamp(input.since),
        sort: input.sort,
        direction: input.direction,
      },
      limit: input.limit,
      // GitHub's issues list holds pull requests too, marked by `pull_request`.
      itemsOf: (body) =>
        Array.isArray(body) ? body.filter((i) => !(i as { pull_request?: unknown }).pull_request) : [],
    });
    return { items: walked.items, has_more: walked.hasMore };
  },
});

export const get_issue = defineGitHubOperation({
  description:
    'Get one issue by number: title, body, state, labels, assignees, milestone and comment count. ' +
    'A pull request number works too (then pull_request is set).',
  input: z.object({ owner, repo, issue_number: issueNumber }),
  output: Issue,
  kind: 'read',
  run: (ctx, input) => ctx.http.get(repoPath(input.owner, input.repo, 'issues', input.issue_number)),
});

export const create_issue = defineGitHubOperation({
  description:
    'Open a new issue in a repository, optionally with a Markdown body, labels, assignees and a milestone. ' +
    'Returns the issue with its number and URL.',
  input: z.object({
    owner,
    repo,
    title: z.string().min(1).max(256).describe('Issue title'),
    body: z.string().max(65536).optional().describe('Issue description, in GitHub Markdown'),
    labels: labels.optional(),
    assignees: assignees.optional(),
    milestone: milestone.optional(),
  }),
  output: Issue,
  kind: 'write',
  run: (ctx, { owner, repo, ...fields }) => ctx.http.post(repoPath(owner, repo, 'issues'), { json: fields }),
});

export const update_issue = defineGitHubOperation({
  description:
    'Change an issue: close or reopen it (with a reason), retitle it, rewrite its body, or replace its labels, ' +
    'assignees or milestone. Only the fields given change; labels and assignees given replace the old ones.',
  input: z
    .object({
      owner,
      repo,
      issue_number: issueNumber,
      title: z.string().min(1).max(256).optional().describe('New title'),
      body: z
        .string()
        .max(65536)
        .optional()
        .describe('New description, in GitHub Markdown (replaces the old one)'),
      state: z
        .enum(['open', 'closed'])
        .optional()
        .describe('"closed" to close the issue, "open" to reopen it'),
      state_reason: z
        .enum(['completed', 'not_planned', 'reopened'])
        .optional()
        .describe('Why it was closed or reopened'),
      labels: labels.optional().describe('The new full set of labels'),
      assignees: assignees.optional().describe('The new full set of assignees'),
      milestone: milestone.nullable().optional().describe('Milestone number, or null to clear it'),
    })
    .refine(
      ({ owner: _o, repo: _r, issue_number: _n, ...change }) =>
        Object.values(change).some((v) => v !== undefined),
      'give at least one field to change',
    ),
  output: Issue,
  kind: 'write',
  // The same PATCH twice leaves the issue as once: safe to retry.
  idempotent: true,
  run: (ctx, { owner, repo, issue_number, ...fields }) =>
    ctx.http.patch(repoPath(owner, repo, 'issues', issue_number), { json: fields }),
});

export const comment_on_issue = defineGitHubOperation({
  description:
    "Add a comment to an issue or to a pull request's conversation (pull requests share issue numbers). " +
    'The body is GitHub Markdown; returns the comment with its URL.',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber.describe('Issue or pull request number'),
    body: z.string().min(1).max(65536).describe('Comment text, in GitHub Markdown'),
  }),
  output: IssueComment,
  kind: 'write',
  run: (ctx, { owner, repo, issue_number, body }) =>
    ctx.http.post(repoPath(owner, repo, 'issues', issue_number, 'comments'), { json: { body } }),
});

export const list_issue_comments = defineGitHubOperation({
  description: 'List the comments on an issue or pull request conversation, oldest first.',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber.describe('Issue or pull request number'),
    since: timestamp.optional().describe('Only comments updated at or after this time'),
    limit: limit(30, 1000),
  }),
  output: listOf(IssueComment),
  kind: 'read',
  async run(ctx, input) {
    const walked = await walkPages(ctx, {
      path: repoPath(input.owner, input.repo, 'issues', input.issue_number, 'comments'),
      params: { since: isoTimestamp(input.since) },
      limit: input.limit,
    });
    return { items: walked.items, has_more: walked.hasMore };
  },
});
