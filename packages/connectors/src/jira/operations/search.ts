import { defineOperation } from '@patchbay/core';
import { z } from 'zod';
import { API, type JiraContext } from '../config.js';
import { buildSearchJql, filterClauses, splitJql } from '../jql.js';
import { collectTokenPages } from '../paginate-token.js';
import { JiraIssue, Limit } from '../schemas.js';

/** Fields returned when the caller names none: what a person scans in a result list. */
export const DEFAULT_SEARCH_FIELDS = [
  'summary',
  'status',
  'assignee',
  'reporter',
  'priority',
  'issuetype',
  'labels',
  'created',
  'updated',
  'project',
] as const;

const JqlDate = z
  .string()
  .regex(
    /^(?:\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?|-?\d+[wdhm])$/,
    'must be yyyy-MM-dd, "yyyy-MM-dd HH:mm" or a period such as -7d',
  );

const OneOrMany = (what: string) =>
  z
    .union([z.string().min(1).max(255), z.array(z.string().min(1).max(255)).min(1).max(50)])
    .optional()
    .describe(`${what}; several values match any of them`);

const UserFilter = (what: string, unassigned: boolean) =>
  z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe(
      `${what}: an accountId, or "currentUser()" for the account this integration uses${unassigned ? ', or "unassigned"' : ''}`,
    );

const OrderField = z
  .string()
  .regex(/^(?:[A-Za-z][A-Za-z0-9_]*|cf\[\d+\])$/, 'must be a field name such as created or cf[10010]')
  .describe('Field to sort by, e.g. created, updated, priority, key, status, duedate');

const Jql = z
  .string()
  .trim()
  .min(1)
  .max(10_000)
  .superRefine((jql, ctx) => {
    const parts = splitJql(jql);
    if ('problem' in parts) ctx.addIssue({ code: 'custom', message: `is malformed: ${parts.problem}` });
  })
  .optional()
  .describe(
    "A JQL query, e.g. 'project = PROJ AND statusCategory != Done'. Combined with the filters below by AND. The filters are safer for values taken from people: they are always quoted.",
  );

const SearchFields = z.object({
  jql: Jql,
  project: OneOrMany('Project key, id or name'),
  status: OneOrMany('Status name, e.g. "In Progress"'),
  issueType: OneOrMany('Issue type name, e.g. Bug'),
  priority: OneOrMany('Priority name, e.g. High'),
  assignee: UserFilter('Assignee', true),
  reporter: UserFilter('Reporter', false),
  labels: z
    .array(z.string().min(1).max(255))
    .max(20)
    .optional()
    .describe('Labels that must all be on the issue'),
  text: z.string().min(1).max(1000).optional().describe('Words to find in summary, description or comments'),
  createdAfter: JqlDate.optional().describe('Created on or after (yyyy-MM-dd, "yyyy-MM-dd HH:mm" or -7d)'),
  createdBefore: JqlDate.optional().describe('Created before (yyyy-MM-dd, "yyyy-MM-dd HH:mm" or -7d)'),
  updatedAfter: JqlDate.optional().describe('Updated on or after (yyyy-MM-dd, "yyyy-MM-dd HH:mm" or -7d)'),
  updatedBefore: JqlDate.optional().describe('Updated before (yyyy-MM-dd, "yyyy-MM-dd HH:mm" or -7d)'),
  orderBy: z
    .array(z.object({ field: OrderField, direction: z.enum(['ASC', 'DESC']).default('ASC') }))
    .max(5)
    .optional()
    .describe("Sort order; replaces an ORDER BY in jql. Default: the jql's ORDER BY, else Jira's"),
  fields: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(100)
    .default([...DEFAULT_SEARCH_FIELDS])
    .describe('Issue fields to return, e.g. ["summary","status"]; "*all" for every field'),
  limit: Limit(50),
  nextPageToken: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe('Continue a previous search: its nextPageToken, with the same query'),
});

export const SearchIssuesInput = SearchFields.refine(restricts, {
  message: 'give jql with a condition, or at least one filter (Jira refuses unbounded searches)',
});

/** Whether the search has a condition at all: Jira's `/search/jql` refuses unbounded queries. */
function restricts(input: z.output<typeof SearchFields>): boolean {
  const parts = input.jql === undefined ? undefined : splitJql(input.jql);
  const where = parts && !('problem' in parts) ? parts.where : '';
  return where !== '' || filterClauses(input).length > 0;
}

export const search_issues = defineOperation({
  description:
    'Search Jira issues with JQL and/or structured filters (project, status, assignee, issue type, priority, labels, text, created/updated dates). Filter values are always quoted, so they are matched literally. Returns the issues with the chosen fields, the JQL that was sent, and nextPageToken when more results remain.',
  input: SearchIssuesInput,
  output: z.object({
    jql: z.string().describe('The JQL that was sent'),
    issues: z.array(JiraIssue),
    nextPageToken: z.string().optional(),
  }),
  kind: 'read',
  async run(ctx: JiraContext, input) {
    const jql = buildSearchJql({ jql: input.jql, filters: input, orderBy: input.orderBy });
    const page = await collectTokenPages({
      limit: input.limit,
      // Jira serves at most 100 issues a page when fields beyond id and key are asked for.
      pageSize: 100,
      nextPageToken: input.nextPageToken,
      async fetchPage(nextPageToken, maxResults) {
        const body = await ctx.http.post<{ issues?: unknown[]; nextPageToken?: string; isLast?: boolean }>(
          `${API}/search/jql`,
          {
            json: {
              jql,
              fields: input.fields,
              maxResults,
              ...(nextPageToken !== undefined && { nextPageToken }),
            },
          },
        );
        return { items: body.issues ?? [], nextPageToken: body.nextPageToken, isLast: body.isLast };
      },
    });
    return {
      jql,
      issues: page.items,
      ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }),
    };
  },
});
