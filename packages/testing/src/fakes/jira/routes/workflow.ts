import { isAdfDocument } from '../adf-text.js';
import { issueNotFound, jiraError } from '../jira-error.js';
import { readIssueFields, readLabelUpdates } from './issue-fields.js';
import { type JiraRoute, jsonBody, reference } from './route.js';

/** The comment bodies of `update.comment: [{ add: { body } }]`, or an error message. */
function commentsToAdd(update: Record<string, unknown>): { bodies: unknown[] } | { error: string } {
  const operations = update.comment;
  if (operations === undefined) return { bodies: [] };
  if (!Array.isArray(operations)) return { error: 'The update of comment must be a list of operations.' };
  const bodies: unknown[] = [];
  for (const operation of operations as Record<string, unknown>[]) {
    const add = operation?.add as { body?: unknown } | undefined;
    if (!add || !isAdfDocument(add.body)) {
      return { error: 'Comment body must be an Atlassian Document (see the Atlassian Document Format).' };
    }
    bodies.push(add.body);
  }
  return { bodies };
}

/** `GET` and `POST /issue/{issueIdOrKey}/transitions`: the workflow moves of seed 002. */
export const workflowRoutes: JiraRoute[] = [
  {
    method: 'GET',
    path: '/rest/api/3/issue/:issueIdOrKey/transitions',
    handle({ request, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      return {
        status: 200,
        json: {
          expand: 'transitions',
          transitions: site.transitionsOf(issue).map((t) => site.wire.transition(t)),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/rest/api/3/issue/:issueIdOrKey/transitions',
    handle({ request, caller, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      const read = jsonBody(request);
      if ('error' in read) return read.error;
      const id = reference(read.body.transition)?.id;
      if (id === undefined) return jiraError(400, ["Missing 'transition' identifier"]);
      const transition = site.transitionsOf(issue).find((t) => t.id === id);
      if (!transition) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
      const fields = (read.body.fields ?? {}) as Record<string, unknown>;
      const update = (read.body.update ?? {}) as Record<string, unknown>;
      const { changes, errors } = readIssueFields(site, site.project(issue.projectKey)!, fields, issue);
      const labels = readLabelUpdates(update, changes.labels ?? issue.labels ?? [], errors, [
        'labels',
        'comment',
      ]);
      const comments = commentsToAdd(update);
      if ('error' in comments) errors.comment = comments.error;
      if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
      Object.assign(issue, changes, { labels, status: transition.to });
      for (const body of 'bodies' in comments ? comments.bodies : [])
        site.addComment(issue, caller.accountId, body);
      site.touch(issue);
      return { status: 204 };
    },
  },
];
