/**
 * What a fake GitHub starts with. Everything is optional but names: ids, shas, numbers and dates
 * are filled in the way GitHub would (shas are derived from the content, so they are stable).
 */
export interface FakeGitHubSeed {
  /** Accounts that exist besides the repository owners and the authors named below. */
  users?: FakeUserSeed[];
  repositories: FakeRepositorySeed[];
}

export interface FakeUserSeed {
  login: string;
  /** @default 'User' */
  type?: 'User' | 'Organization' | 'Bot';
  name?: string;
  email?: string;
}

/** A change to one file, as a commit or a pull request carries it. */
export interface FakeFileChange {
  filename: string;
  /** @default 'modified' */
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  /** The unified diff hunk; `null` plays a binary or too-large file, which GitHub sends without `patch`. */
  patch?: string | null;
  previous_filename?: string;
}

export interface FakeCommitSeed {
  message: string;
  /** A login (a GitHub account) or a bare git identity that matches no account. */
  author: string | { name: string; email: string };
  /** ISO-8601, e.g. `'2024-03-01T10:00:00Z'`. */
  date: string;
  /**
   * The branch the commit is made on; a branch's first commit forks from the default branch's
   * newest commit before it.
   * @default the default branch
   */
  branch?: string;
  files?: FakeFileChange[];
}

export interface FakeIssueSeed {
  title: string;
  body?: string | null;
  /** @default 'open' */
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'reopened' | 'not_planned' | null;
  /** The author's login. @default the repository owner */
  user?: string;
  labels?: string[];
  assignees?: string[];
  /** A milestone number of the repository. */
  milestone?: number;
  comments?: { user: string; body: string; created_at: string }[];
  created_at: string;
  /** @default created_at */
  updated_at?: string;
  closed_at?: string;
  locked?: boolean;
}

export interface FakePullSeed extends Omit<FakeIssueSeed, 'state_reason'> {
  /** The head branch (in the same repository). */
  head: string;
  /** @default the default branch */
  base?: string;
  draft?: boolean;
  merged_at?: string;
  merged_by?: string;
  /** The files the pull request changes, in order. */
  files: FakeFileChange[];
  /** @default 1 */
  commits?: number;
  requested_reviewers?: string[];
}

export interface FakeRepositorySeed {
  owner: string;
  name: string;
  description?: string | null;
  private?: boolean;
  fork?: boolean;
  archived?: boolean;
  language?: string | null;
  topics?: string[];
  homepage?: string | null;
  stargazers_count?: number;
  forks_count?: number;
  license?: { key: string; name: string; spdx_id: string } | null;
  /** @default 'main' */
  default_branch?: string;
  created_at?: string;
  /** Users who may be assigned issues, besides the owner. */
  collaborators?: string[];
  /** Oldest first. */
  commits?: FakeCommitSeed[];
  /** Branches besides those the commits name; a branch with no commits points at the default head. */
  branches?: { name: string; protected?: boolean }[];
  /** File contents on the default branch, by path. A `Uint8Array` plays a binary file. */
  files?: Record<string, string | Uint8Array>;
  labels?: { name: string; color: string; description?: string | null }[];
  milestones?: {
    title: string;
    state?: 'open' | 'closed';
    description?: string | null;
    due_on?: string | null;
  }[];
  /** Issues and pull requests share one number sequence, in the order they were created. */
  issues?: FakeIssueSeed[];
  pulls?: FakePullSeed[];
}
