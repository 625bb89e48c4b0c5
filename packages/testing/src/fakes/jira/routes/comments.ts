import { isAdfDocument } from '../adf-text.js';
import { issueNotFound, jiraError } from '../jira-error.js';
import { offsetParams, queryParam } from '../paging.js';
import { type JiraRoute, jsonBody } from './route.js';

/** `GET` and `POST /issue/{issueIdOrKey}/comment`. */
export const commentRoutes: JiraRoute[] = [
  {
    method: 'GET',
    path: '/rest/api/3/issue/:issueIdOrKey/comment',
    handle({ request, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      const paging = offsetParams(request, { maxResults: 50, cap: 5000 });
      if (!paging) return jiraError(400, ['startAt and maxResults must be non-negative integers.']);
      const orderBy = queryParam(request, 'orderBy') ?? 'created';
      if (!['created', '+created', '-created'].includes(orderBy)) {
        return jiraError(400, [`The orderBy value '${orderBy}' is not supported.`]);
      }
      const all = [...(issue.comments ?? [])].sort((a, b) => a.created.localeCompare(b.created));
      if (orderBy === '-created') all.reverse();
      const page = all.slice(paging.startAt, paging.startAt + paging.maxResults);
      return {
        status: 200,
        json: {
          startAt: paging.startAt,
          maxResults: paging.maxResults,
          total: all.length,
          comments: page.map((c) => site.wire.comment(issue, c)),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/rest/api/3/issue/:issueIdOrKey/comment',
    handle({ request, caller, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      const read = jsonBody(request);
      if ('error' in read) return read.error;
      if (!isAdfDocument(read.body.body)) {
        return jiraError(400, [], {
          comment: 'Comment body must be an Atlassian Document (see the Atlassian Document Format).',
        });
      }
      const visibility = read.body.visibility as { type?: unknown; value?: unknown } | undefined;
      if (
        visibility !== undefined &&
        !((visibility.type === 'group' || visibility.type === 'role') && typeof visibility.value === 'string')
      ) {
        return jiraError(400, [], { commentLevel: 'The visibility must name a group or a role.' });
      }
      const comment = site.addComment(
        issue,
        caller.accountId,
        read.body.body,
        visibility as { type: 'group' | 'role'; value: string } | undefined,
      );
      return { status: 201, json: site.wire.comment(issue, comment) };
    },
  },
];
