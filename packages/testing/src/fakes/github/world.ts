import { loadRepository } from './load-seed.js';
import {
  type CommentRecord,
  fullName,
  type IssueRecord,
  isoSeconds,
  type RepositoryRecord,
  type UserRecord,
} from './model.js';
import type { FakeGitHubSeed } from './seed.js';

/**
 * The fake's live state: the seed turned into records, and the writes GitHub would make
 * (a new issue takes the repository's next number; a comment bumps `updated_at`).
 */
export class GitHubWorld {
  readonly users = new Map<string, UserRecord>();
  readonly repositories: RepositoryRecord[] = [];
  #nextId = 1000;
  readonly #now: () => number;

  constructor(seed: FakeGitHubSeed, now: () => number = Date.now) {
    this.#now = now;
    for (const user of seed.users ?? []) {
      this.user(user.login, user.type ?? 'User', user.name ?? null, user.email ?? null);
    }
    for (const repo of seed.repositories) this.repositories.push(loadRepository(this, repo));
  }

  nextId(): number {
    return this.#nextId++;
  }

  /** The account with this login, created on first mention. */
  user(
    login: string,
    type: UserRecord['type'] = 'User',
    name: string | null = null,
    email: string | null = null,
  ) {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { login, id: this.nextId(), type, name, email };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  /** Owner and name match without regard to case, as on GitHub. */
  repository(owner: string, name: string): RepositoryRecord | undefined {
    const wanted = `${owner}/${name}`.toLowerCase();
    return this.repositories.find((r) => fullName(r).toLowerCase() === wanted);
  }

  issue(repo: RepositoryRecord, number: number): IssueRecord | undefined {
    return repo.issues.find((i) => i.number === number);
  }

  now(): string {
    return isoSeconds(this.#now());
  }

  createIssue(
    repo: RepositoryRecord,
    author: string,
    fields: {
      title: string;
      body: string | null;
      labels: string[];
      assignees: string[];
      milestone: number | null;
    },
  ): IssueRecord {
    const at = this.now();
    for (const name of fields.labels) this.ensureLabel(repo, name);
    const issue: IssueRecord = {
      id: this.nextId(),
      number: repo.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
      ...fields,
      state: 'open',
      state_reason: null,
      user: author,
      comments: [],
      created_at: at,
      updated_at: at,
      closed_at: null,
      closed_by: null,
      locked: false,
      pull: undefined,
    };
    repo.issues.push(issue);
    return issue;
  }

  /** Applies a PATCH: only the fields given change; closing stamps `closed_at` and `closed_by`. */
  updateIssue(
    issue: IssueRecord,
    repo: RepositoryRecord,
    actor: string,
    patch: Partial<
      Pick<IssueRecord, 'title' | 'body' | 'labels' | 'assignees' | 'milestone' | 'state' | 'state_reason'>
    >,
  ): void {
    const at = this.now();
    for (const name of patch.labels ?? []) this.ensureLabel(repo, name);
    const closing = patch.state === 'closed' && issue.state !== 'closed';
    const reopening = patch.state === 'open' && issue.state === 'closed';
    Object.assign(issue, patch);
    if (closing) {
      issue.closed_at = at;
      issue.closed_by = actor;
      issue.state_reason = patch.state_reason ?? 'completed';
    }
    if (reopening) {
      issue.closed_at = null;
      issue.closed_by = null;
      issue.state_reason = 'reopened';
    }
    issue.updated_at = at;
  }

  addComment(issue: IssueRecord, author: string, body: string): CommentRecord {
    const at = this.now();
    const comment = { id: this.nextId(), user: author, body, created_at: at, updated_at: at };
    issue.comments.push(comment);
    issue.updated_at = at;
    return comment;
  }

  /** GitHub creates a label it has not seen when an issue is given one. */
  ensureLabel(repo: RepositoryRecord, name: string): void {
    if (!repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      repo.labels.push({ id: this.nextId(), name, color: 'ededed', description: null });
    }
  }
}
