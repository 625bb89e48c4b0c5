import { z } from 'zod';
import { includePatches, limit, maxFiles, owner, ref, repo, timestamp } from '../inputs.js';
import { defineGitHubOperation } from '../operation.js';
import { walkPages } from '../paginate.js';
import { isoTimestamp, repoPath } from '../paths.js';
import { CommitDetail, CommitSummary, Comparison } from '../schemas/commit.js';
import { listOf } from '../schemas/list.js';
import { countByStatus, fileChangeOf } from './file-changes.js';

export const list_commits = defineGitHubOperation({
  description:
    'List the commits of a repository, newest first: on a branch or from a commit, touching a path, ' +
    'by an author, within a time range. Each commit has its message, author, date and parents.',
  input: z.object({
    owner,
    repo,
    sha: ref.optional().describe('Branch or commit SHA to start from (default: the default branch)'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Only commits touching this file or directory, e.g. "src/index.ts"'),
    author: z.string().min(1).optional().describe('Only commits by this GitHub login or git author email'),
    since: timestamp.optional().describe('Only commits at or after this time (ISO-8601)'),
    until: timestamp.optional().describe('Only commits at or before this time (ISO-8601)'),
    limit: limit(30, 1000),
  }),
  output: listOf(CommitSummary),
  kind: 'read',
  async run(ctx, input) {
    const walked = await walkPages(ctx, {
      path: repoPath(input.owner, input.repo, 'commits'),
      params: {
        sha: input.sha,
        path: input.path,
        author: input.author,
        since: isoTimestamp(input.since),
        until: isoTimestamp(input.until),
      },
      limit: input.limit,
    });
    return { items: walked.items, has_more: walked.hasMore };
  },
});

export const get_commit = defineGitHubOperation({
  description:
    'Get one commit with its diff statistics (lines added and deleted) and the files it changed, each with ' +
    'its status and diff size; the diffs themselves on request. For reviewing what a commit did.',
  input: z.object({
    owner,
    repo,
    ref: ref.describe('Commit SHA, branch or tag'),
    include_patches: includePatches,
    max_files: maxFiles,
  }),
  output: CommitDetail,
  kind: 'read',
  async run(ctx, input) {
    // A commit's files come in pages of the commit object itself, each with the next page in `Link`.
    const walked = await walkPages(ctx, {
      path: repoPath(input.owner, input.repo, 'commits', input.ref),
      limit: input.max_files,
      itemsOf: (body) => (body as { files?: unknown[] }).files ?? [],
    });
    const files = walked.items.map((f) => fileChangeOf(f, input.include_patches));
    return {
      ...(walked.first as object),
      files,
      files_by_status: countByStatus(files),
      has_more_files: walked.hasMore,
    };
  },
});

export const compare_commits = defineGitHubOperation({
  description:
    'Compare two branches, tags or commits: whether head is ahead, behind or diverged from base, the commits ' +
    'on head since their merge base, and the files changed with diff sizes. For "what changed between releases".',
  input: z.object({
    owner,
    repo,
    base: ref.describe('The older side, e.g. "v1.0.0" or "main"'),
    head: ref.describe('The newer side, e.g. "v1.1.0" or a feature branch'),
    include_patches: includePatches,
  }),
  output: Comparison,
  kind: 'read',
  async run(ctx, input) {
    const basehead = `${encodeURIComponent(input.base)}...${encodeURIComponent(input.head)}`;
    const body = await ctx.http.get<{ files?: unknown[] } & Record<string, unknown>>(
      `${repoPath(input.owner, input.repo, 'compare')}/${basehead}`,
    );
    const files = (body.files ?? []).map((f) => fileChangeOf(f, input.include_patches));
    return { ...body, files, files_by_status: countByStatus(files) };
  },
});
