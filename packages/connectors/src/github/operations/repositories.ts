import { z } from 'zod';
import { limit, owner, ref, repo } from '../inputs.js';
import { defineGitHubOperation } from '../operation.js';
import { walkPages } from '../paginate.js';
import { filePath, repoPath } from '../paths.js';
import { FileContents } from '../schemas/contents.js';
import { listOf } from '../schemas/list.js';
import { Branch, Repository, RepositorySearchResult } from '../schemas/repository.js';
import { contentsOf } from './contents.js';

export const search_repositories = defineGitHubOperation({
  description:
    'Search GitHub repositories by keywords and qualifiers (GitHub search syntax: "language:go stars:>100 cli", ' +
    '"org:octo-org", "topic:cli"). Returns the best matches first unless sorted, with the total number of matches.',
  input: z.object({
    query: z
      .string()
      .min(1)
      .max(256)
      .describe('Search words and qualifiers, e.g. "http client language:typescript" or "user:octocat"'),
    sort: z
      .enum(['stars', 'forks', 'help-wanted-issues', 'updated'])
      .optional()
      .describe('Sort by this instead of best match'),
    order: z.enum(['asc', 'desc']).optional().describe('Sort order when sort is given (default desc)'),
    limit: limit(30, 1000),
  }),
  output: RepositorySearchResult,
  kind: 'read',
  cache: { ttl: 60 },
  async run(ctx, input) {
    const walked = await walkPages(ctx, {
      path: '/search/repositories',
      params: { q: input.query, sort: input.sort, order: input.order },
      limit: input.limit,
      itemsOf: (body) => (body as { items?: unknown[] }).items ?? [],
    });
    const first = walked.first as { total_count: number; incomplete_results: boolean };
    return {
      total_count: first.total_count,
      incomplete_results: first.incomplete_results,
      items: walked.items,
      has_more: walked.hasMore,
    };
  },
});

export const get_repository = defineGitHubOperation({
  description:
    'Get one repository: description, language, topics, stars, forks, open issues, default branch, license, ' +
    'visibility and what the configured token may do in it.',
  input: z.object({ owner, repo }),
  output: Repository,
  kind: 'read',
  cache: { ttl: 60 },
  run: (ctx, input) => ctx.http.get(repoPath(input.owner, input.repo)),
});

export const list_branches = defineGitHubOperation({
  description:
    'List the branches of a repository with the commit each points at and whether it is protected.',
  input: z.object({
    owner,
    repo,
    protected: z.boolean().optional().describe('Only protected (true) or only unprotected (false) branches'),
    limit: limit(100, 1000),
  }),
  output: listOf(Branch),
  kind: 'read',
  async run(ctx, input) {
    const walked = await walkPages(ctx, {
      path: repoPath(input.owner, input.repo, 'branches'),
      params: { protected: input.protected },
      limit: input.limit,
    });
    return { items: walked.items, has_more: walked.hasMore };
  },
});

export const get_file_contents = defineGitHubOperation({
  description:
    'Read a file of a repository as text (or list a directory), at a branch, tag or commit. ' +
    'Binary files come back as base64; files over 1 MB have no text (use download_url).',
  input: z.object({
    owner,
    repo,
    path: z
      .string()
      .max(1024)
      .refine((p) => !p.split('/').some((s) => s === '..' || s === '.'), 'must not contain . or .. segments')
      .default('')
      .describe('Path inside the repository, e.g. "src/index.ts"; empty for the root directory'),
    ref: ref.optional().describe('Branch, tag or commit SHA (default: the default branch)'),
  }),
  output: FileContents,
  kind: 'read',
  async run(ctx, input) {
    const body = await ctx.http.get(
      `${repoPath(input.owner, input.repo, 'contents')}/${filePath(input.path)}`,
      {
        params: { ref: input.ref },
      },
    );
    return contentsOf(body, input.path);
  },
});
