import { defineOperation } from '@patchbay/core';
import { z } from 'zod';
import { API, type JiraContext, projectPath } from '../config.js';
import { collectOffsetPages, type OffsetPage } from '../paginate-offset.js';
import { JiraProject, JiraStatus, Limit, ProjectKey, StartAt } from '../schemas.js';

interface PageBeanProject {
  values?: unknown[];
  total?: number;
  isLast?: boolean;
}

/** Pages of `GET /project/search` (Jira serves at most 100 a page). */
function searchProjects(
  ctx: JiraContext,
  params: { query?: string | undefined; orderBy?: string; startAt?: number; limit: number },
) {
  return collectOffsetPages({
    limit: params.limit,
    startAt: params.startAt ?? 0,
    pageSize: 100,
    async fetchPage(startAt, maxResults): Promise<OffsetPage<unknown>> {
      const page = await ctx.http.get<PageBeanProject>(`${API}/project/search`, {
        params: { query: params.query, orderBy: params.orderBy, startAt, maxResults },
      });
      return { items: page.values ?? [], total: page.total, isLast: page.isLast };
    },
  });
}

const ProjectBrief = JiraProject.pick({ id: true, key: true, name: true });

export const find_project = defineOperation({
  description:
    'Find a Jira project by its name, case-insensitively: an exact name match first, then an exact key match, then the first project whose name contains the text. Returns the project (null when none matches), how it matched, and other candidates. Use it to turn a project name a person mentions into the project key other Jira tools need.',
  input: z.object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .describe('The project name (or part of it, or its key), e.g. "Mobile App"'),
  }),
  output: z.object({
    project: JiraProject.nullable(),
    match: z.enum(['exact', 'key', 'contains']).nullable(),
    candidates: z.array(ProjectBrief).describe('Other projects whose name contains the text (at most 10)'),
  }),
  kind: 'read',
  cache: { ttl: 60 },
  async run(ctx: JiraContext, { name }) {
    const { items } = await searchProjects(ctx, { query: name, orderBy: 'name', limit: 1000 });
    const projects = items.map((p) => JiraProject.parse(p));
    const wanted = name.toLowerCase();
    const exact = projects.find((p) => p.name.toLowerCase() === wanted);
    const byKey = exact ? undefined : projects.find((p) => p.key.toLowerCase() === wanted);
    const containing = projects.filter((p) => p.name.toLowerCase().includes(wanted));
    const project = exact ?? byKey ?? containing[0] ?? null;
    const match = exact ? 'exact' : byKey ? 'key' : project ? 'contains' : null;
    const candidates = containing
      .filter((p) => p.id !== project?.id)
      .slice(0, 10)
      .map((p) => ({ id: p.id, key: p.key, name: p.name }));
    return { project, match, candidates };
  },
});

export const list_projects = defineOperation({
  description:
    'List the Jira projects the account can see, optionally only those whose key or name contains a text. Returns projects (id, key, name, type), the total, and nextStartAt when more remain.',
  input: z.object({
    query: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .describe('Only projects whose key or name contains this text'),
    orderBy: z
      .enum(['key', '-key', 'name', '-name'])
      .default('key')
      .describe('Sort order; a leading "-" sorts descending'),
    limit: Limit(50),
    startAt: StartAt,
  }),
  output: z.object({
    projects: z.array(JiraProject),
    total: z.number().int().optional(),
    nextStartAt: z.number().int().optional(),
  }),
  kind: 'read',
  cache: { ttl: 60 },
  async run(ctx: JiraContext, input) {
    const page = await searchProjects(ctx, input);
    return {
      projects: page.items,
      ...(page.total !== undefined && { total: page.total }),
      ...(page.nextStartAt !== undefined && { nextStartAt: page.nextStartAt }),
    };
  },
});

export const get_project = defineOperation({
  description:
    'Get one Jira project by key or id: name, description, lead, and the issue types it offers (the names create_issue accepts).',
  // `key`, as the hub's seed 002 route `GET /jira/projects/{key}` names it.
  input: z.object({ key: ProjectKey }),
  output: JiraProject,
  kind: 'read',
  cache: { ttl: 60 },
  run: (ctx: JiraContext, { key }) => ctx.http.get(projectPath(key)),
});

const IssueTypeStatuses = z.looseObject({
  id: z.string(),
  name: z.string(),
  subtask: z.boolean().optional(),
  statuses: z.array(JiraStatus),
});

export const list_project_statuses = defineOperation({
  description:
    "List the workflow statuses of a Jira project, per issue type (e.g. To Do, In Progress, Done). Use the names in search_issues' status filter and transition_issue's toStatus.",
  input: z.object({ projectKey: ProjectKey }),
  output: z.object({ issueTypes: z.array(IssueTypeStatuses) }),
  kind: 'read',
  cache: { ttl: 300 },
  async run(ctx: JiraContext, { projectKey }) {
    return { issueTypes: await ctx.http.get<unknown[]>(projectPath(projectKey, '/statuses')) };
  },
});
