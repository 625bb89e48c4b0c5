import { z } from 'zod';
import { GitHubAccount, OptionalAccount } from './account.js';
import { FileChange, FilesByStatus } from './commit.js';
import { IssueLabel } from './issue.js';

const BranchRef = z.object({
  label: z.string().describe('owner:branch'),
  ref: z.string(),
  sha: z.string(),
});

/** A pull request as the list gives it. */
export const PullRequestSummary = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string().describe('open or closed (a merged pull request is closed with merged_at set)'),
  draft: z.boolean().optional(),
  user: OptionalAccount,
  body: z.string().nullable(),
  html_url: z.string(),
  labels: z.array(IssueLabel),
  assignees: z.array(GitHubAccount).nullable().default([]),
  requested_reviewers: z.array(GitHubAccount).nullable().default([]),
  head: BranchRef,
  base: BranchRef,
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
  merged_at: z.string().nullable(),
  merge_commit_sha: z.string().nullable(),
});
export type PullRequestSummary = z.output<typeof PullRequestSummary>;

/** One pull request with its merge state, diff totals and changed files. */
export const PullRequestDetail = PullRequestSummary.extend({
  merged: z.boolean(),
  mergeable: z.boolean().nullable().describe('null while GitHub is still computing it'),
  mergeable_state: z.string(),
  merged_by: OptionalAccount,
  comments: z.number(),
  review_comments: z.number(),
  commits: z.number(),
  additions: z.number(),
  deletions: z.number(),
  changed_files: z.number(),
  files: z.array(FileChange),
  files_by_status: FilesByStatus,
  has_more_files: z.boolean().describe('The pull request changes more files than were listed'),
});
export type PullRequestDetail = z.output<typeof PullRequestDetail>;
