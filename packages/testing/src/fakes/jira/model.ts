/**
 * The fake Jira's own records: what a test seeds and inspects. They are plain data, close to what
 * Jira stores; `wire.ts` turns them into Jira's REST v3 JSON.
 */

/** A person or app account. */
export interface FakeJiraUser {
  /** Jira's stable user id. @example '5b10a2844c20165700ede21g' */
  accountId: string;
  displayName: string;
  emailAddress?: string;
  /** @default 'atlassian' */
  accountType?: 'atlassian' | 'app' | 'customer';
  /** @default true */
  active?: boolean;
  /** @default 'UTC' */
  timeZone?: string;
}

/** A workflow status and the category Jira colours it with. */
export interface FakeJiraStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

/** A workflow transition: from some statuses (none means from any) to one. */
export interface FakeJiraTransition {
  id: string;
  name: string;
  /** Status names the transition starts from; empty means a global transition. */
  from: string[];
  /** The status name it leads to. */
  to: string;
}

/** The statuses and transitions every issue of the fake follows. */
export interface FakeJiraWorkflow {
  statuses: FakeJiraStatus[];
  transitions: FakeJiraTransition[];
  /** The status a new issue starts in. */
  initialStatus: string;
}

/** An issue type of the site's catalog. */
export interface FakeJiraIssueType {
  id: string;
  name: string;
  subtask?: boolean;
}

/** A priority, ordered by `rank` (1 is the highest). */
export interface FakeJiraPriority {
  id: string;
  name: string;
  rank: number;
}

export interface FakeJiraProject {
  id: string;
  key: string;
  name: string;
  description?: string;
  leadAccountId?: string;
  /** @default 'software' */
  projectTypeKey?: 'software' | 'business' | 'service_desk';
  /** Names of the issue types this project offers. @default every type of the catalog */
  issueTypes?: string[];
}

export interface FakeJiraComment {
  id: string;
  authorAccountId: string;
  /** An Atlassian Document Format document. */
  body: unknown;
  /** ISO-8601 instant. */
  created: string;
  updated: string;
  visibility?: { type: 'group' | 'role'; value: string };
}

export interface FakeJiraIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  issueType: string;
  status: string;
  /** An Atlassian Document Format document, or null. */
  description?: unknown;
  assigneeAccountId?: string | null;
  reporterAccountId?: string;
  priority?: string;
  labels?: string[];
  /** ISO-8601 instants. */
  created: string;
  updated: string;
  /** `yyyy-MM-dd`. */
  duedate?: string | null;
  parentKey?: string;
  comments?: FakeJiraComment[];
  /** `customfield_NNNNN` values as they were set. */
  customFields?: Record<string, unknown>;
}

/** Everything the fake site holds. */
export interface FakeJiraData {
  users: FakeJiraUser[];
  projects: FakeJiraProject[];
  issues: FakeJiraIssue[];
  issueTypes: FakeJiraIssueType[];
  priorities: FakeJiraPriority[];
  workflow: FakeJiraWorkflow;
}
