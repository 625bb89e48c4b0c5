import { z } from 'zod';
import { includePatches, limit, maxFiles, owner, pullNumber, repo, sortDirection } from '../inputs.js';
import { defineGitHubOperation } from '../operation.js';
import { walkPages } from '../paginate.js';
import { repoPath } from '../paths.js';
import { listOf } from '../schemas/list.js';
import { PullRequestDetail, PullRequestSummary } from '../schemas/pull-request.js';
import { countByStatus, fileChangeOf } from './file-changes.js';

export const list_pull_requests = defineGitHubOperation({
  description:
    'List pull requests of a repository, newest first: open, closed (merged ones included) or all; ' +
    'by base branch or head branch.',
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'closed', 'all']).default('open').describe('Which pull requests (default open)'),
    base: z.string().min(1).optional().describe('Only pull requests into this branch, e.g. "main"'),
    head: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Only pull requests from this branch: "owner:branch", or "branch" for one in this repository',
      ),
    sort: z
      .enum(['created', 'updated', 'popularity', 'long-running'])
      .optional()
      .describe('Sort key (default created); popularity is comment count'),
    direction: sortDirection,
    limit: limit(30, 1000),
  }),
  output: listOf(PullRequestSummary),
  kind: 'read',
  async run(ctx, input) {
    const walked = await walkPages(ctx, {
      path: repoPath(input.owner, input.repo, 'pulls'),
      params: {
        state: input.state,
        base: input.base,
        // GitHub filters on head only in its `user:ref` form.
        head:
          input.head === undefined || input.head.includes(':') ? input.head : `${input.owner}:${input.head}`,
        sort: input.sort,
        direction: input.direction,
      },
      limit: input.limit,
    });
    return { items: walked.items, has_more: walked.hasMore };
  },
});

export const get_pull_request = defineGitHubOperation({
  description:
    'Get one pull request for review: its branches, merge state, reviewers, and the size of the change ' +
    "(commits, lines added and deleted, files changed), with every changed file's status and diff size " +
    '(the diffs themselves on request).',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    include_patches: includePatches,
    max_files: maxFiles,
  }),
  output: PullRequestDetail,
  kind: 'read',
  async run(ctx, input) {
    const path = repoPath(input.owner, input.repo, 'pulls', input.pull_number);
    const pull = await ctx.http.get<Record<string, unknown>>(path);
    const walked = await walkPages(ctx, { path: `${path}/files`, limit: input.max_files });
    const files = walked.items.map((f) => fileChangeOf(f, input.include_patches));
    return { ...pull, files, files_by_status: countByStatus(files), has_more_files: walked.hasMore };
  },
});
