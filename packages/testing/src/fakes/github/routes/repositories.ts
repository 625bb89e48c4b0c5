import { notFound } from '../errors.js';
import { fullName, resolveRef } from '../model.js';
import { contentItem, directoryEntries, lookupContent } from '../wire/content.js';
import { repository } from '../wire/repository.js';
import { type GitHubRoute, listPage, queryParam, repoOf } from './context.js';

const REPO_DOCS = 'https://docs.github.com/rest/repos/repos#get-a-repository';
const BRANCH_DOCS = 'https://docs.github.com/rest/branches/branches#list-branches';
const CONTENT_DOCS = 'https://docs.github.com/rest/repos/contents#get-repository-content';

/**
 * A repository, its branches and its files. Files live on the default branch; any other ref the
 * repository knows (a branch or a commit) serves the same tree, an unknown ref is a 404.
 */
export const repositoryRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      return repo ? { status: 200, json: repository(ctx.hosts, ctx.world, repo) } : notFound(REPO_DOCS);
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/branches',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      if (!repo) return notFound(BRANCH_DOCS);
      const protectedOnly = queryParam(request, 'protected');
      const branches = [...repo.branches]
        .filter((b) => protectedOnly === undefined || b.protected === (protectedOnly === 'true'))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((b) => ({
          name: b.name,
          commit: { sha: b.head, url: `${ctx.hosts.api}/repos/${fullName(repo)}/commits/${b.head}` },
          protected: b.protected,
        }));
      return listPage(ctx, request, branches);
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/contents/*',
    resource: 'core',
    handle(ctx, request) {
      const repo = repoOf(ctx, request);
      if (!repo) return notFound(CONTENT_DOCS);
      const ref = queryParam(request, 'ref') ?? repo.default_branch;
      if (resolveRef(repo, ref) === undefined) {
        return {
          status: 404,
          json: {
            message: `No commit found for the ref ${ref}`,
            documentation_url: CONTENT_DOCS,
            status: '404',
          },
        };
      }
      const entry = lookupContent(repo, request.params['*'] ?? '');
      if (!entry) return notFound(CONTENT_DOCS);
      if (entry.type === 'file') return { status: 200, json: contentItem(ctx.hosts, repo, ref, entry, true) };
      return {
        status: 200,
        json: directoryEntries(repo, entry.path).map((e) => contentItem(ctx.hosts, repo, ref, e, false)),
      };
    },
  },
];
