import type { FakeResponse, RecordedRequest } from '../../../types.js';
import { notFound } from '../errors.js';
import { headOf, type IssueRecord, type PullRecord, type RepositoryRecord } from '../model.js';
import { diffEntry } from '../wire/commit.js';
import { pullFull, pullSimple } from '../wire/pull.js';
import {
  type GitHubRoute,
  type GitHubRouteContext,
  listPage,
  queryParam,
  repoOf,
  sortByTime,
} from './context.js';

type PullIssue = IssueRecord & { pull: PullRecord };

const DOCS = {
  list: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests',
  get: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
  files: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files',
};

export const pullRoutes: GitHubRoute[] = [
  {
    // `state`, `head` (`owner:branch`), `base`, and `sort` by created, updated or popularity
    // (comments), newest first unless `direction=asc`.
    method: 'GET',
    path: '/repos/:owner/:repo/pulls',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      if (!repo) return notFound(DOCS.list);
      const state = queryParam(request, 'state') ?? 'open';
      const head = queryParam(request, 'head');
      const base = queryParam(request, 'base');
      const found = pullsOf(repo).filter(
        (p) =>
          (state === 'all' || p.state === state) &&
          (head === undefined || head.toLowerCase() === `${repo.owner}:${p.pull.head}`.toLowerCase()) &&
          (base === undefined || p.pull.base === base),
      );
      const sort = queryParam(request, 'sort') ?? 'created';
      const direction = queryParam(request, 'direction');
      const sorted =
        sort === 'popularity'
          ? found.sort((a, b) => (direction === 'asc' ? 1 : -1) * (a.comments.length - b.comments.length))
          : sortByTime(found, (p) => (sort === 'updated' ? p.updated_at : p.created_at), direction);
      return listPage(
        ctx,
        request,
        sorted.map((p) => pullSimple(ctx.hosts, ctx.world, repo, p)),
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number',
    resource: 'core',
    handle: (ctx, request) =>
      withPull(ctx, request, DOCS.get, (repo, pull) => ({
        status: 200,
        json: pullFull(ctx.hosts, ctx.world, repo, pull),
      })),
  },
  {
    // Up to 3000 files, 30 a page unless `per_page` (at most 100) says otherwise.
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/files',
    resource: 'core',
    handle: (ctx, request) =>
      withPull(ctx, request, DOCS.files, (repo, pull) => {
        const head = headOf(repo, pull.pull.head) ?? pull.pull.head;
        return listPage(
          ctx,
          request,
          pull.pull.files.map((f) => diffEntry(ctx.hosts, repo, head, f)),
        );
      }),
  },
];

function pullsOf(repo: RepositoryRecord): PullIssue[] {
  return repo.issues.filter((i): i is PullIssue => i.pull !== undefined);
}

function withPull(
  ctx: GitHubRouteContext,
  request: RecordedRequest,
  docs: string,
  then: (repo: RepositoryRecord, pull: PullIssue) => FakeResponse,
): FakeResponse {
  const repo = repoOf(ctx, request);
  const number = Number(request.params.number);
  const pull = repo ? pullsOf(repo).find((p) => p.number === number) : undefined;
  return repo && pull ? then(repo, pull) : notFound(docs);
}
