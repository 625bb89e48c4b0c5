import { z } from 'zod';
import { OptionalAccount } from './account.js';

const GitIdentity = z
  .object({ name: z.string().optional(), email: z.string().optional(), date: z.string().optional() })
  .nullable();

/** A commit in a list: who, when, what it says, and where it sits in the history. */
export const CommitSummary = z.object({
  sha: z.string(),
  html_url: z.string(),
  commit: z.object({
    message: z.string(),
    author: GitIdentity,
    committer: GitIdentity,
  }),
  author: OptionalAccount.describe('The GitHub account of the git author, when GitHub could match one'),
  committer: OptionalAccount,
  parents: z.array(z.object({ sha: z.string() })),
});
export type CommitSummary = z.output<typeof CommitSummary>;

/** One changed file of a commit, a comparison or a pull request, with the size of its diff. */
export const FileChange = z.object({
  filename: z.string(),
  status: z.enum(['added', 'removed', 'modified', 'renamed', 'copied', 'changed', 'unchanged']),
  additions: z.number(),
  deletions: z.number(),
  changes: z.number(),
  previous_filename: z.string().optional(),
  patch_size: z
    .number()
    .nullable()
    .describe('Characters of the unified diff; null when GitHub shows none (binary or too large)'),
  patch: z.string().optional().describe('The unified diff, when include_patches was asked for'),
});
export type FileChange = z.output<typeof FileChange>;

/** How many files each status accounts for, e.g. `{ added: 2, modified: 5 }`. */
export const FilesByStatus = z.record(z.string(), z.number());

export const CommitDetail = CommitSummary.extend({
  stats: z.object({ additions: z.number(), deletions: z.number(), total: z.number() }),
  files: z.array(FileChange),
  files_by_status: FilesByStatus,
  has_more_files: z.boolean().describe('The commit changes more files than were listed'),
});
export type CommitDetail = z.output<typeof CommitDetail>;

export const Comparison = z.object({
  status: z.enum(['diverged', 'ahead', 'behind', 'identical']),
  ahead_by: z.number().describe('Commits on head that base does not have'),
  behind_by: z.number().describe('Commits on base that head does not have'),
  total_commits: z.number(),
  html_url: z.string(),
  merge_base_commit: z.object({ sha: z.string() }),
  commits: z.array(CommitSummary),
  files: z.array(FileChange),
  files_by_status: FilesByStatus,
});
export type Comparison = z.output<typeof Comparison>;
