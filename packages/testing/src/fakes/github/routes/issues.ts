import type { FakeResponse, RecordedRequest } from '../../../types.js';
import { basicError, notFound, problemsParsingJson, validationFailed } from '../errors.js';
import type { IssueRecord, RepositoryRecord } from '../model.js';
import { issue, issueComment } from '../wire/issue.js';
import {
  type GitHubRoute,
  type GitHubRouteContext,
  jsonObject,
  listPage,
  queryParam,
  repoOf,
  sortByTime,
} from './context.js';
import { isResponse, readIssueFields } from './issue-input.js';

const DOCS = {
  list: 'https://docs.github.com/rest/issues/issues#list-repository-issues',
  create: 'https://docs.github.com/rest/issues/issues#create-an-issue',
  get: 'https://docs.github.com/rest/issues/issues#get-an-issue',
  update: 'https://docs.github.com/rest/issues/issues#update-an-issue',
  comments: 'https://docs.github.com/rest/issues/comments#list-issue-comments',
  comment: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
};

/** Issues and their comments. The list holds pull requests too, as GitHub's does. */
export const issueRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      if (!repo) return notFound(DOCS.list);
      const found = repo.issues.filter(issueFilter(request));
      const sort = queryParam(request, 'sort');
      const direction = queryParam(request, 'direction');
      const sorted =
        sort === 'comments'
          ? found.sort((a, b) => (direction === 'asc' ? 1 : -1) * (a.comments.length - b.comments.length))
          : sortByTime(found, (i) => (sort === 'updated' ? i.updated_at : i.created_at), direction);
      return listPage(
        ctx,
        request,
        sorted.map((i) => issue(ctx.hosts, ctx.world, repo, i)),
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      if (!repo) return notFound(DOCS.create);
      const refused = readOnly(repo, DOCS.create);
      if (refused) return refused;
      const body = jsonObject(request);
      if (!body) return problemsParsingJson();
      const fields = readIssueFields(body, repo, true, DOCS.create);
      if (isResponse(fields)) return fields;
      const created = ctx.world.createIssue(repo, ctx.actor, {
        title: fields.title ?? '',
        body: fields.body ?? null,
        labels: fields.labels ?? [],
        assignees: fields.assignees ?? [],
        milestone: fields.milestone ?? null,
      });
      const json = issue(ctx.hosts, ctx.world, repo, created);
      return { status: 201, json, headers: { location: String(json.url) } };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/:number',
    resource: 'core',
    handle: (ctx, request) =>
      withIssue(ctx, request, DOCS.get, (repo, record) => ({
        status: 200,
        json: issue(ctx.hosts, ctx.world, repo, record),
      })),
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/issues/:number',
    resource: 'core',
    handle: (ctx, request) =>
      withIssue(ctx, request, DOCS.update, (repo, record) => {
        const refused = readOnly(repo, DOCS.update);
        if (refused) return refused;
        const body = jsonObject(request);
        if (!body) return problemsParsingJson();
        const fields = readIssueFields(body, repo, false, DOCS.update);
        if (isResponse(fields)) return fields;
        if (fields.title === '') {
          return validationFailed(
            [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
            DOCS.update,
          );
        }
        ctx.world.updateIssue(record, repo, ctx.actor, fields);
        return { status: 200, json: issue(ctx.hosts, ctx.world, repo, record) };
      }),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/:number/comments',
    resource: 'core',
    handle: (ctx, request) =>
      withIssue(ctx, request, DOCS.comments, (repo, record) => {
        const since = queryParam(request, 'since');
        const comments = record.comments.filter((c) => since === undefined || c.updated_at >= since);
        return listPage(
          ctx,
          request,
          comments.map((c) => issueComment(ctx.hosts, ctx.world, repo, record, c)),
        );
      }),
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues/:number/comments',
    resource: 'core',
    handle: (ctx, request) =>
      withIssue(ctx, request, DOCS.comment, (repo, record) => {
        const refused = readOnly(repo, DOCS.comment);
        if (refused) return refused;
        const body = jsonObject(request);
        if (!body) return problemsParsingJson();
        if (body.body !== undefined && typeof body.body !== 'string') return problemsParsingJson();
        if (!body.body) {
          return validationFailed(
            [{ resource: 'IssueComment', field: 'body', code: 'missing_field' }],
            DOCS.comment,
          );
        }
        const comment = ctx.world.addComment(record, ctx.actor, body.body);
        const json = issueComment(ctx.hosts, ctx.world, repo, record, comment);
        return { status: 201, json, headers: { location: String(json.url) } };
      }),
  },
];

function withIssue(
  ctx: GitHubRouteContext,
  request: RecordedRequest,
  docs: string,
  then: (repo: RepositoryRecord, record: IssueRecord) => FakeResponse,
): FakeResponse {
  const repo = repoOf(ctx, request);
  const number = Number(request.params.number);
  const record = repo && Number.isInteger(number) ? ctx.world.issue(repo, number) : undefined;
  return repo && record ? then(repo, record) : notFound(docs);
}

/** An archived repository refuses writes with a 403 that is not about rate limits. */
function readOnly(repo: RepositoryRecord, docs: string): FakeResponse | undefined {
  return repo.archived ? basicError(403, 'Repository was archived so is read-only.', docs) : undefined;
}

/** `state`, `labels`, `assignee`, `creator`, `milestone` and `since`, as GitHub reads them. */
function issueFilter(request: RecordedRequest): (issue: IssueRecord) => boolean {
  const state = queryParam(request, 'state') ?? 'open';
  const labels = queryParam(request, 'labels')
    ?.split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const assignee = queryParam(request, 'assignee')?.toLowerCase();
  const creator = queryParam(request, 'creator')?.toLowerCase();
  const milestone = queryParam(request, 'milestone');
  const since = queryParam(request, 'since');
  return (i) =>
    (state === 'all' || i.state === state) &&
    (labels === undefined || labels.every((l) => i.labels.some((have) => have.toLowerCase() === l))) &&
    (assignee === undefined ||
      (assignee === 'none'
        ? i.assignees.length === 0
        : assignee === '*'
          ? i.assignees.length > 0
          : i.assignees.some((a) => a.toLowerCase() === assignee))) &&
    (creator === undefined || i.user.toLowerCase() === creator) &&
    (milestone === undefined ||
      (milestone === 'none'
        ? i.milestone === null
        : milestone === '*'
          ? i.milestone !== null
          : i.milestone === Number(milestone))) &&
    (since === undefined || Date.parse(i.updated_at) >= Date.parse(since));
}
