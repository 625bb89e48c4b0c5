import { jiraError, projectNotFound } from '../jira-error.js';
import type { FakeJiraProject } from '../model.js';
import { offsetParams, queryList, queryParam } from '../paging.js';
import type { JiraRoute } from './route.js';

const ORDERS: Record<string, (a: FakeJiraProject, b: FakeJiraProject) => number> = {
  key: (a, b) => a.key.localeCompare(b.key),
  name: (a, b) => a.name.localeCompare(b.name),
  id: (a, b) => Number(a.id) - Number(b.id),
};

/** `GET /project/search`, `GET /project/{projectIdOrKey}` and its `/statuses`. */
export const projectRoutes: JiraRoute[] = [
  {
    method: 'GET',
    path: '/rest/api/3/project/:projectIdOrKey',
    handle({ request, site }) {
      const project = site.project(request.params.projectIdOrKey!);
      return project
        ? { status: 200, json: site.wire.project(project) }
        : projectNotFound(request.params.projectIdOrKey!);
    },
  },
  {
    method: 'GET',
    path: '/rest/api/3/project/:projectIdOrKey/statuses',
    handle({ request, site }) {
      const project = site.project(request.params.projectIdOrKey!);
      if (!project) return projectNotFound(request.params.projectIdOrKey!);
      const statuses = site.data.workflow.statuses.map((s) => site.wire.status(s));
      return {
        status: 200,
        json: site.wire.projectIssueTypes(project).map((type) => ({
          self: `${site.wire.api}/issuetype/${type.id}`,
          id: type.id,
          name: type.name,
          subtask: type.subtask ?? false,
          statuses,
        })),
      };
    },
  },
  {
    // Registered after `/project/:projectIdOrKey`, so it wins for the literal path.
    method: 'GET',
    path: '/rest/api/3/project/search',
    handle({ request, site }) {
      const paging = offsetParams(request, { maxResults: 50, cap: 100 });
      if (!paging) return jiraError(400, ['startAt and maxResults must be non-negative integers.']);
      const orderBy = queryParam(request, 'orderBy') ?? 'key';
      const order = ORDERS[orderBy.replace(/^[+-]/, '')];
      if (!order) return jiraError(400, [`The orderBy value '${orderBy}' is not supported.`]);
      const query = queryParam(request, 'query')?.toLowerCase();
      const keys = queryList(request, 'keys').map((k) => k.toUpperCase());
      const matching = site.data.projects
        .filter((p) => !query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query))
        .filter((p) => keys.length === 0 || keys.includes(p.key))
        .sort((a, b) => (orderBy.startsWith('-') ? -order(a, b) : order(a, b)));
      const { startAt, maxResults } = paging;
      const values = matching.slice(startAt, startAt + maxResults);
      const isLast = startAt + values.length >= matching.length;
      const json: Record<string, unknown> = {
        self: `${site.wire.base}${request.url}`,
        maxResults,
        startAt,
        total: matching.length,
        isLast,
        values: values.map((p) => site.wire.project(p, true)),
      };
      if (!isLast) {
        const next = new URLSearchParams(request.url.split('?')[1] ?? '');
        next.set('startAt', String(startAt + values.length));
        next.set('maxResults', String(maxResults));
        json.nextPage = `${site.wire.api}/project/search?${next}`;
      }
      return { status: 200, json };
    },
  },
];
