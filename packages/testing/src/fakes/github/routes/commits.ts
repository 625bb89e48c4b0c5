import type { FakeResponse } from '../../../types.js';
import { basicError, notFound } from '../errors.js';
import { type CommitRecord, fullName, history, type RepositoryRecord, resolveRef } from '../model.js';
import { pageOf } from '../paging.js';
import type { FakeFileChange } from '../seed.js';
import { commit, diffEntry } from '../wire/commit.js';
import { type GitHubRoute, type GitHubRouteContext, listPage, queryParam, repoOf } from './context.js';

const LIST_DOCS = 'https://docs.github.com/rest/commits/commits#list-commits';
const GET_DOCS = 'https://docs.github.com/rest/commits/commits#get-a-commit';
const COMPARE_DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits';

export const commitRoutes: GitHubRoute[] = [
  {
    // Newest first along first parents from `sha` (a branch or a commit; the default branch when
    // absent), narrowed by `path`, `author` (login or email), `since` and `until`.
    method: 'GET',
    path: '/repos/:owner/:repo/commits',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      if (!repo) return notFound(LIST_DOCS);
      const head = resolveRef(repo, queryParam(request, 'sha') ?? repo.default_branch);
      if (head === undefined) return notFound(LIST_DOCS);
      const path = queryParam(request, 'path');
      const author = queryParam(request, 'author')?.toLowerCase();
      const since = timeParam(queryParam(request, 'since'));
      const until = timeParam(queryParam(request, 'until'));
      if (since === null || until === null) return basicError(400, 'Invalid time', LIST_DOCS);
      const commits = history(repo, head).filter(
        (c) =>
          (path === undefined ||
            c.files.some((f) => f.filename === path || f.filename.startsWith(`${path}/`))) &&
          (author === undefined ||
            c.authorLogin?.toLowerCase() === author ||
            c.author.email.toLowerCase() === author) &&
          (since === undefined || Date.parse(c.committer.date) >= since) &&
          (until === undefined || Date.parse(c.committer.date) <= until),
      );
      return listPage(
        ctx,
        request,
        commits.map((c) => commit(ctx.hosts, ctx.world, repo, c)),
      );
    },
  },
  {
    // One commit with its stats and its files, the files paged (`per_page` up to 100 here) with `Link`.
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      const sha = repo && resolveRef(repo, request.params.ref ?? '');
      const record = sha === undefined ? undefined : repo?.commits.get(sha);
      if (!repo || !record) {
        return repo
          ? {
              status: 422,
              json: {
                message: `No commit found for SHA: ${request.params.ref}`,
                documentation_url: GET_DOCS,
                status: '422',
              },
            }
          : notFound(GET_DOCS);
      }
      const page = pageOf(record.files, request, ctx.origin);
      return {
        status: 200,
        json: commit(ctx.hosts, ctx.world, repo, record, page.items),
        ...(page.link ? { headers: { link: page.link } } : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/compare/:basehead',
    resource: 'core',
    handle: (ctx, request) => compare(ctx, repoOf(ctx, request), request.params.basehead ?? ''),
  },
];

/** `base...head`: the commits on head since the merge base, and the files they change together. */
function compare(
  ctx: GitHubRouteContext,
  repo: RepositoryRecord | undefined,
  basehead: string,
): FakeResponse {
  const [baseRef, headRef] = basehead.split('...');
  const base = repo && baseRef ? resolveRef(repo, baseRef) : undefined;
  const head = repo && headRef ? resolveRef(repo, headRef) : undefined;
  if (!repo || base === undefined || head === undefined) return notFound(COMPARE_DOCS);
  const baseLine = history(repo, base);
  const headLine = history(repo, head);
  const inBase = new Set(baseLine.map((c) => c.sha));
  const inHead = new Set(headLine.map((c) => c.sha));
  const ahead = headLine.filter((c) => !inBase.has(c.sha)).reverse();
  const behind = baseLine.filter((c) => !inHead.has(c.sha));
  const mergeBase = headLine.find((c) => inBase.has(c.sha)) ?? headLine[headLine.length - 1]!;
  const status =
    ahead.length === 0 && behind.length === 0
      ? 'identical'
      : behind.length === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged';
  const name = fullName(repo);
  const html = `${ctx.hosts.html}/${name}/compare/${basehead}`;
  const wire = (c: CommitRecord) => commit(ctx.hosts, ctx.world, repo, c);
  return {
    status: 200,
    json: {
      url: `${ctx.hosts.api}/repos/${name}/compare/${basehead}`,
      html_url: html,
      permalink_url: `${ctx.hosts.html}/${name}/compare/${base.slice(0, 7)}...${head.slice(0, 7)}`,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: wire(repo.commits.get(base)!),
      merge_base_commit: wire(mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map(wire),
      files: combinedChanges(ahead).map((f) => diffEntry(ctx.hosts, repo, head, f)),
    },
  };
}

/** One entry per file over several commits: line counts summed, the status of the range as a whole. */
function combinedChanges(commits: readonly CommitRecord[]): FakeFileChange[] {
  const byName = new Map<string, FakeFileChange>();
  for (const c of commits) {
    for (const f of c.files) {
      const seen = byName.get(f.filename);
      // Added within the range is "added" however often it changed after, unless removed at the end.
      const status = seen?.status === 'added' && f.status !== 'removed' ? 'added' : f.status;
      byName.set(
        f.filename,
        seen
          ? {
              ...f,
              status,
              additions: seen.additions + f.additions,
              deletions: seen.deletions + f.deletions,
              patch: undefined,
            }
          : f,
      );
    }
  }
  return [...byName.values()];
}

/** Epoch ms of an ISO-8601 time; `undefined` when absent, `null` when unreadable. */
function timeParam(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : null;
}
