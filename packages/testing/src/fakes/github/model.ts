import { createHash } from 'node:crypto';
import type { FakeFileChange } from './seed.js';

/** The fake's own records: what GitHub stores, from which the wire objects are drawn. */

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Organization' | 'Bot';
  name: string | null;
  email: string | null;
}

export interface GitIdentity {
  name: string;
  email: string;
  date: string;
}

export interface CommitRecord {
  sha: string;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  /** The GitHub account the author identity belongs to, if any. */
  authorLogin: string | undefined;
  treeSha: string;
  parents: string[];
  files: FakeFileChange[];
}

export interface BranchRecord {
  name: string;
  head: string;
  protected: boolean;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface MilestoneRecord {
  id: number;
  number: number;
  title: string;
  state: 'open' | 'closed';
  description: string | null;
  creator: string;
  created_at: string;
  due_on: string | null;
}

export interface CommentRecord {
  id: number;
  user: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface PullRecord {
  id: number;
  head: string;
  base: string;
  draft: boolean;
  merged_at: string | null;
  merged_by: string | null;
  files: FakeFileChange[];
  commits: number;
  requested_reviewers: string[];
}

/** An issue, or the issue half of a pull request (GitHub keeps both in one number sequence). */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'reopened' | 'not_planned' | null;
  user: string;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  comments: CommentRecord[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  locked: boolean;
  pull: PullRecord | undefined;
}

export interface RepositoryRecord {
  id: number;
  owner: string;
  name: string;
  description: string | null;
  private: boolean;
  fork: boolean;
  archived: boolean;
  language: string | null;
  topics: string[];
  homepage: string | null;
  stargazers_count: number;
  forks_count: number;
  license: { key: string; name: string; spdx_id: string } | null;
  default_branch: string;
  created_at: string;
  updated_at: string;
  pushed_at: string;
  collaborators: Set<string>;
  commits: Map<string, CommitRecord>;
  branches: BranchRecord[];
  files: Map<string, Uint8Array>;
  labels: LabelRecord[];
  milestones: MilestoneRecord[];
  issues: IssueRecord[];
}

/** GitHub writes timestamps to the second, with a `Z`. */
export function isoSeconds(value: string | number | Date): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sha1(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\n')).digest('hex');
}

/** GitHub's legacy global node id: base64 of `<length><Type><id>`, close enough to look real. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

export function fullName(repo: RepositoryRecord): string {
  return `${repo.owner}/${repo.name}`;
}

/** The commits reachable from `sha` along first parents, newest first. */
export function history(repo: RepositoryRecord, sha: string): CommitRecord[] {
  const out: CommitRecord[] = [];
  for (let at: string | undefined = sha; at !== undefined; ) {
    const commit = repo.commits.get(at);
    if (!commit) break;
    out.push(commit);
    at = commit.parents[0];
  }
  return out;
}

/** A branch name or a full or abbreviated (7+) sha, resolved to a commit sha. */
export function resolveRef(repo: RepositoryRecord, ref: string): string | undefined {
  const name = ref.replace(/^refs\/heads\/|^heads\//, '');
  const branch = repo.branches.find((b) => b.name === name);
  if (branch) return branch.head;
  if (repo.commits.has(ref)) return ref;
  if (/^[0-9a-f]{7,39}$/.test(ref)) {
    for (const sha of repo.commits.keys()) if (sha.startsWith(ref)) return sha;
  }
  return undefined;
}

export function headOf(repo: RepositoryRecord, branch: string): string | undefined {
  return repo.branches.find((b) => b.name === branch)?.head;
}
