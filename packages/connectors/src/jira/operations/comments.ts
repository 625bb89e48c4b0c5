import { defineOperation } from '@patchbay/core';
import { z } from 'zod';
import { adfToText, RichText, toAdf } from '../adf.js';
import { issuePath, type JiraContext } from '../config.js';
import { collectOffsetPages } from '../paginate-offset.js';
import { IssueKey, JiraComment, Limit, StartAt } from '../schemas.js';

export const add_comment = defineOperation({
  description:
    'Add a comment to a Jira issue, as plain text (converted to Atlassian Document Format) or as an ADF document; optionally visible only to a group or project role.',
  input: z.object({
    issueKey: IssueKey,
    body: RichText,
    visibility: z
      .object({
        type: z.enum(['group', 'role']).describe('Restrict to a group or a project role'),
        value: z.string().min(1).max(255).describe('The group or role name, e.g. Developers'),
      })
      .optional()
      .describe('Who may see the comment; everyone who sees the issue when left out'),
  }),
  output: JiraComment,
  kind: 'write',
  run: (ctx: JiraContext, { issueKey, body, visibility }) =>
    ctx.http.post(issuePath(issueKey, '/comment'), {
      json: { body: toAdf(body), ...(visibility && { visibility }) },
    }),
});

export const list_comments = defineOperation({
  description:
    'List the comments of a Jira issue, oldest first (or newest first), each with its author, dates, ADF body and the body as plain text (bodyText).',
  input: z.object({
    issueKey: IssueKey,
    orderBy: z
      .enum(['created', '-created'])
      .default('created')
      .describe('"created" oldest first, "-created" newest first'),
    limit: Limit(50),
    startAt: StartAt,
  }),
  output: z.object({
    comments: z.array(JiraComment.extend({ bodyText: z.string() })),
    total: z.number().int().optional(),
    nextStartAt: z.number().int().optional(),
  }),
  kind: 'read',
  async run(ctx: JiraContext, { issueKey, orderBy, limit, startAt }) {
    const page = await collectOffsetPages({
      limit,
      startAt,
      pageSize: 100,
      async fetchPage(at, maxResults) {
        const body = await ctx.http.get<{ comments?: { body?: unknown }[]; total?: number }>(
          issuePath(issueKey, '/comment'),
          { params: { startAt: at, maxResults, orderBy } },
        );
        return { items: body.comments ?? [], total: body.total };
      },
    });
    return {
      comments: page.items.map((c) => ({ ...c, bodyText: adfToText(c.body) })),
      ...(page.total !== undefined && { total: page.total }),
      ...(page.nextStartAt !== undefined && { nextStartAt: page.nextStartAt }),
    };
  },
});
