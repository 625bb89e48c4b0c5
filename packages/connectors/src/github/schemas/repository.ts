import { z } from 'zod';
import { GitHubAccount } from './account.js';

const License = z.object({ key: z.string(), name: z.string(), spdx_id: z.string().nullable() }).nullable();

/** A repository as search and lists give it: what an agent needs to choose one, without GitHub's URL templates. */
export const RepositorySummary = z.object({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  owner: GitHubAccount,
  private: z.boolean(),
  html_url: z.string(),
  description: z.string().nullable(),
  fork: z.boolean(),
  archived: z.boolean(),
  language: z.string().nullable(),
  topics: z.array(z.string()).default([]),
  stargazers_count: z.number(),
  forks_count: z.number(),
  open_issues_count: z.number(),
  default_branch: z.string(),
  license: License.optional(),
  homepage: z.string().nullable().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  pushed_at: z.string().nullable(),
});
export type RepositorySummary = z.output<typeof RepositorySummary>;

/** One search hit: a repository and GitHub's relevance score. */
export const RepositorySearchHit = RepositorySummary.extend({ score: z.number() });

export const RepositorySearchResult = z.object({
  total_count: z.number().describe('Repositories matching the query on GitHub, beyond those returned'),
  incomplete_results: z.boolean().describe('GitHub timed out and the counts and results may be partial'),
  items: z.array(RepositorySearchHit),
  has_more: z.boolean(),
});
export type RepositorySearchResult = z.output<typeof RepositorySearchResult>;

/** One repository in detail. */
export const Repository = RepositorySummary.extend({
  visibility: z.string().optional(),
  is_template: z.boolean().optional(),
  has_issues: z.boolean(),
  has_wiki: z.boolean(),
  has_discussions: z.boolean().optional(),
  watchers_count: z.number(),
  subscribers_count: z.number().optional(),
  clone_url: z.string(),
  ssh_url: z.string(),
  permissions: z
    .object({
      admin: z.boolean(),
      push: z.boolean(),
      pull: z.boolean(),
      maintain: z.boolean().optional(),
      triage: z.boolean().optional(),
    })
    .optional()
    .describe('What the configured token may do in this repository'),
});
export type Repository = z.output<typeof Repository>;

export const Branch = z.object({
  name: z.string(),
  protected: z.boolean(),
  commit: z.object({ sha: z.string() }),
});
export type Branch = z.output<typeof Branch>;
