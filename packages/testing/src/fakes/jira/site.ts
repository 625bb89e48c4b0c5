import type {
  FakeJiraComment,
  FakeJiraData,
  FakeJiraIssue,
  FakeJiraProject,
  FakeJiraTransition,
  FakeJiraUser,
} from './model.js';
import { JiraWire } from './wire.js';

/**
 * The fake Jira site's state and the rules that change it (new keys, workflow moves, comments).
 * Routes read requests and call these; tests read `data` to see what changed.
 */
export class FakeJiraSite {
  readonly wire: JiraWire;
  #nextId = 20_000;

  constructor(
    readonly data: FakeJiraData,
    base: string,
    readonly now: () => number = Date.now,
  ) {
    this.wire = new JiraWire(base, data);
  }

  userByEmail(email: string): FakeJiraUser | undefined {
    return this.data.users.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase());
  }

  user(accountId: string): FakeJiraUser | undefined {
    return this.data.users.find((u) => u.accountId === accountId);
  }

  /** By key (any case) or numeric id, as Jira resolves `{projectIdOrKey}`. */
  project(keyOrId: string): FakeJiraProject | undefined {
    const upper = keyOrId.toUpperCase();
    return this.data.projects.find((p) => p.key === upper || p.id === keyOrId);
  }

  /** By key (any case) or numeric id, as Jira resolves `{issueIdOrKey}`. */
  issue(keyOrId: string): FakeJiraIssue | undefined {
    const upper = keyOrId.toUpperCase();
    return this.data.issues.find((i) => i.key === upper || i.id === keyOrId);
  }

  /** The transitions the workflow offers from the issue's current status. */
  transitionsOf(issue: FakeJiraIssue): FakeJiraTransition[] {
    return this.data.workflow.transitions.filter((t) => t.from.length === 0 || t.from.includes(issue.status));
  }

  /** A new issue in its project's next key (`PROJ-6` after `PROJ-5`), in the workflow's first status. */
  createIssue(fields: Omit<FakeJiraIssue, 'id' | 'key' | 'status' | 'created' | 'updated'>): FakeJiraIssue {
    const numbers = this.data.issues
      .filter((i) => i.projectKey === fields.projectKey)
      .map((i) => Number(i.key.split('-')[1]));
    const at = new Date(this.now()).toISOString();
    const issue: FakeJiraIssue = {
      ...fields,
      id: String(this.#nextId++),
      key: `${fields.projectKey}-${Math.max(0, ...numbers) + 1}`,
      status: this.data.workflow.initialStatus,
      created: at,
      updated: at,
    };
    this.data.issues.push(issue);
    return issue;
  }

  addComment(
    issue: FakeJiraIssue,
    authorAccountId: string,
    body: unknown,
    visibility?: FakeJiraComment['visibility'],
  ): FakeJiraComment {
    const at = new Date(this.now()).toISOString();
    const comment: FakeJiraComment = {
      id: String(this.#nextId++),
      authorAccountId,
      body,
      created: at,
      updated: at,
      ...(visibility && { visibility }),
    };
    issue.comments = [...(issue.comments ?? []), comment];
    this.touch(issue);
    return comment;
  }

  touch(issue: FakeJiraIssue): void {
    issue.updated = new Date(this.now()).toISOString();
  }
}
