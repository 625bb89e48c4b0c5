import { issueNotFound, jiraError } from '../jira-error.js';
import { queryList } from '../paging.js';
import { readIssueFields, readLabelUpdates } from './issue-fields.js';
import { type JiraRoute, jsonBody, reference } from './route.js';

function objectOr(value: unknown, fallback: Record<string, unknown>): Record<string, unknown> | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `POST /issue`, `GET`/`PUT /issue/{issueIdOrKey}` and `PUT /issue/{issueIdOrKey}/assignee`. */
export const issueRoutes: JiraRoute[] = [
  {
    method: 'POST',
    path: '/rest/api/3/issue',
    handle({ request, caller, site }) {
      const read = jsonBody(request);
      if ('error' in read) return read.error;
      const fields = objectOr(read.body.fields, {});
      if (!fields) return jiraError(400, ['The fields of the issue must be a JSON object.']);
      const projectRef = reference(fields.project);
      const project = site.project(projectRef?.key ?? projectRef?.id ?? '');
      if (!project) return jiraError(400, [], { project: 'Specify a valid project ID or key' });
      const { changes, errors } = readIssueFields(site, project, fields);
      if (fields.summary === undefined) errors.summary = 'You must specify a summary of the issue.';
      if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
      const update = objectOr(read.body.update, {});
      const labels = update ? readLabelUpdates(update, changes.labels ?? [], errors) : [];
      if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
      const issue = site.createIssue({
        projectKey: project.key,
        summary: changes.summary!,
        issueType: changes.issueType!,
        description: changes.description ?? null,
        assigneeAccountId: changes.assigneeAccountId ?? null,
        reporterAccountId: changes.reporterAccountId ?? caller.accountId,
        priority: changes.priority ?? 'Medium',
        labels,
        duedate: changes.duedate ?? null,
        ...(changes.parentKey !== undefined && { parentKey: changes.parentKey }),
        ...(changes.customFields !== undefined && { customFields: changes.customFields }),
      });
      return {
        status: 201,
        json: { id: issue.id, key: issue.key, self: `${site.wire.api}/issue/${issue.id}` },
      };
    },
  },
  {
    method: 'GET',
    path: '/rest/api/3/issue/:issueIdOrKey',
    handle({ request, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      const fields = queryList(request, 'fields');
      const json = site.wire.issue(issue, fields, true);
      const expand = queryList(request, 'expand');
      if (expand.includes('transitions'))
        json.transitions = site.transitionsOf(issue).map((t) => site.wire.transition(t));
      return { status: 200, json };
    },
  },
  {
    method: 'PUT',
    path: '/rest/api/3/issue/:issueIdOrKey',
    handle({ request, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      const read = jsonBody(request);
      if ('error' in read) return read.error;
      const fields = objectOr(read.body.fields, {});
      const update = objectOr(read.body.update, {});
      if (!fields || !update) return jiraError(400, ['fields and update must be JSON objects.']);
      if (Object.keys(fields).length === 0 && Object.keys(update).length === 0) {
        return jiraError(400, ['No fields or update operations were given.']);
      }
      const project = site.project(issue.projectKey)!;
      const { changes, errors } = readIssueFields(site, project, fields, issue);
      const labels = readLabelUpdates(update, changes.labels ?? issue.labels ?? [], errors);
      if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
      Object.assign(issue, changes, { labels });
      site.touch(issue);
      return { status: 204 };
    },
  },
  {
    method: 'PUT',
    path: '/rest/api/3/issue/:issueIdOrKey/assignee',
    handle({ request, site }) {
      const issue = site.issue(request.params.issueIdOrKey!);
      if (!issue) return issueNotFound();
      const read = jsonBody(request);
      if ('error' in read) return read.error;
      const accountId = read.body.accountId;
      if (accountId === null) {
        issue.assigneeAccountId = null;
      } else if (accountId === '-1') {
        // "-1" picks the project's default assignee, its lead here.
        issue.assigneeAccountId = site.project(issue.projectKey)?.leadAccountId ?? null;
      } else {
        const user = typeof accountId === 'string' ? site.user(accountId) : undefined;
        if (!user || user.active === false) {
          return jiraError(400, [], { assignee: `User '${String(accountId)}' cannot be assigned issues.` });
        }
        issue.assigneeAccountId = user.accountId;
      }
      site.touch(issue);
      return { status: 204 };
    },
  },
];
