import type {
  FakeJiraComment,
  FakeJiraData,
  FakeJiraIssue,
  FakeJiraIssueType,
  FakeJiraProject,
  FakeJiraStatus,
  FakeJiraTransition,
  FakeJiraUser,
} from './model.js';

/**
 * Turns the fake's records into Jira Cloud REST v3 JSON: the field names, nesting and `self`
 * links of the v3 reference, and nothing the published description does not allow.
 */
export class JiraWire {
  constructor(
    readonly base: string,
    private readonly data: FakeJiraData,
  ) {}

  get api(): string {
    return `${this.base}/rest/api/3`;
  }

  avatarUrls(kind: 'user' | 'project', id: string): Record<string, string> {
    const url = `${this.base}/secure/${kind}avatar?id=${encodeURIComponent(id)}`;
    return {
      '48x48': url,
      '24x24': `${url}&size=small`,
      '16x16': `${url}&size=xsmall`,
      '32x32': `${url}&size=medium`,
    };
  }

  user(user: FakeJiraUser): Record<string, unknown> {
    const json: Record<string, unknown> = {
      self: `${this.api}/user?accountId=${encodeURIComponent(user.accountId)}`,
      accountId: user.accountId,
      accountType: user.accountType ?? 'atlassian',
      avatarUrls: this.avatarUrls('user', user.accountId),
      displayName: user.displayName,
      active: user.active ?? true,
      timeZone: user.timeZone ?? 'UTC',
      locale: 'en_US',
    };
    if (user.emailAddress !== undefined) json.emailAddress = user.emailAddress;
    return json;
  }

  /** A user as comments name their authors (Jira's `UserDetails`: no locale). */
  userDetails(accountId: string): Record<string, unknown> | null {
    const user = this.userById(accountId);
    if (!user) return null;
    const { locale: _locale, ...details } = user;
    return details;
  }

  userById(accountId: string | null | undefined): Record<string, unknown> | null {
    const user = this.data.users.find((u) => u.accountId === accountId);
    return user ? this.user(user) : null;
  }

  status(status: FakeJiraStatus): Record<string, unknown> {
    const category = {
      new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
      indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
      done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
    }[status.category];
    return {
      self: `${this.api}/status/${status.id}`,
      description: '',
      iconUrl: `${this.base}/images/icons/statuses/generic.png`,
      name: status.name,
      id: status.id,
      statusCategory: { self: `${this.api}/statuscategory/${category.id}`, ...category },
    };
  }

  statusNamed(name: string): Record<string, unknown> {
    const status = this.data.workflow.statuses.find((s) => s.name === name);
    if (!status) throw new Error(`fake Jira: unknown status ${name}`);
    return this.status(status);
  }

  issueType(type: FakeJiraIssueType): Record<string, unknown> {
    return {
      self: `${this.api}/issuetype/${type.id}`,
      id: type.id,
      description: '',
      iconUrl: `${this.base}/images/icons/issuetypes/${type.name.toLowerCase()}.svg`,
      name: type.name,
      subtask: type.subtask ?? false,
      avatarId: 10300 + Number(type.id.slice(-1)),
      hierarchyLevel: type.subtask ? -1 : type.name === 'Epic' ? 1 : 0,
    };
  }

  projectIssueTypes(project: FakeJiraProject): FakeJiraIssueType[] {
    const names = project.issueTypes;
    return names ? this.data.issueTypes.filter((t) => names.includes(t.name)) : this.data.issueTypes;
  }

  /** A project as `GET /project/{key}` shows it; `brief` is the shape project search lists. */
  project(project: FakeJiraProject, brief = false): Record<string, unknown> {
    const json: Record<string, unknown> = {
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      self: `${this.api}/project/${project.id}`,
      id: project.id,
      key: project.key,
      name: project.name,
      avatarUrls: this.avatarUrls('project', project.id),
      projectTypeKey: project.projectTypeKey ?? 'software',
      simplified: false,
      style: 'classic',
      isPrivate: false,
      properties: {},
    };
    if (brief) return json;
    json.description = project.description ?? '';
    const lead = this.userById(project.leadAccountId);
    if (lead) json.lead = lead;
    json.components = [];
    json.issueTypes = this.projectIssueTypes(project).map((t) => this.issueType(t));
    json.assigneeType = 'UNASSIGNED';
    json.versions = [];
    json.roles = {};
    return json;
  }

  /** The small project object inside an issue's `fields.project`. */
  projectRef(key: string): Record<string, unknown> {
    const project = this.data.projects.find((p) => p.key === key)!;
    return {
      self: `${this.api}/project/${project.id}`,
      id: project.id,
      key: project.key,
      name: project.name,
      projectTypeKey: project.projectTypeKey ?? 'software',
      simplified: false,
      avatarUrls: this.avatarUrls('project', project.id),
    };
  }

  priority(name: string | undefined): Record<string, unknown> | null {
    const priority = this.data.priorities.find((p) => p.name === name);
    if (!priority) return null;
    return {
      self: `${this.api}/priority/${priority.id}`,
      iconUrl: `${this.base}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
      name: priority.name,
      id: priority.id,
    };
  }

  comment(issue: FakeJiraIssue, comment: FakeJiraComment): Record<string, unknown> {
    const author = this.userDetails(comment.authorAccountId);
    const json: Record<string, unknown> = {
      self: `${this.api}/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      author,
      body: comment.body,
      updateAuthor: author,
      created: jiraTime(comment.created),
      updated: jiraTime(comment.updated),
      jsdPublic: true,
    };
    if (comment.visibility) json.visibility = { ...comment.visibility, identifier: comment.visibility.value };
    return json;
  }

  /** Every field of an issue, by field id, as `GET /issue/{key}` returns them. */
  issueFields(issue: FakeJiraIssue): Record<string, unknown> {
    const type = this.data.issueTypes.find((t) => t.name === issue.issueType)!;
    const comments = issue.comments ?? [];
    const fields: Record<string, unknown> = {
      summary: issue.summary,
      status: this.statusNamed(issue.status),
      issuetype: this.issueType(type),
      project: this.projectRef(issue.projectKey),
      description: issue.description ?? null,
      assignee: this.userById(issue.assigneeAccountId),
      reporter: this.userById(issue.reporterAccountId),
      priority: this.priority(issue.priority),
      labels: issue.labels ?? [],
      created: jiraTime(issue.created),
      updated: jiraTime(issue.updated),
      duedate: issue.duedate ?? null,
      comment: {
        comments: comments.map((c) => this.comment(issue, c)),
        self: `${this.api}/issue/${issue.id}/comment`,
        maxResults: comments.length,
        total: comments.length,
        startAt: 0,
      },
      ...issue.customFields,
    };
    if (issue.parentKey) {
      const parent = this.data.issues.find((i) => i.key === issue.parentKey);
      if (parent) fields.parent = { id: parent.id, key: parent.key, self: `${this.api}/issue/${parent.id}` };
    }
    return fields;
  }

  /**
   * An issue with the fields Jira's `fields` parameter selects: `*all`, `*navigable` (all but
   * comments), names, and `-name` to drop one. Only `id` when nothing is asked for (as
   * `/search/jql` does).
   */
  issue(issue: FakeJiraIssue, fields: string[] | undefined, defaultAll: boolean): Record<string, unknown> {
    const base = { expand: 'renderedFields,names,schema,operations,editmeta,changelog', id: issue.id };
    const asked = fields && fields.length > 0 ? fields : defaultAll ? ['*all'] : [];
    const all = this.issueFields(issue);
    const wanted = new Set<string>();
    for (const item of asked) {
      if (item === '*all') for (const name of Object.keys(all)) wanted.add(name);
      else if (item === '*navigable')
        for (const name of Object.keys(all)) if (name !== 'comment') wanted.add(name);
    }
    for (const item of asked) {
      if (item.startsWith('-')) wanted.delete(item.slice(1));
      else if (!item.startsWith('*') && item in all) wanted.add(item);
    }
    const onlyIds = asked.every((item) => item === 'id' || item === 'key');
    if (onlyIds && !asked.includes('key')) return { id: issue.id };
    const selected: Record<string, unknown> = {};
    for (const name of wanted) selected[name] = all[name];
    return { ...base, self: `${this.api}/issue/${issue.id}`, key: issue.key, fields: selected };
  }

  transition(transition: FakeJiraTransition): Record<string, unknown> {
    return {
      id: transition.id,
      name: transition.name,
      to: this.statusNamed(transition.to),
      hasScreen: false,
      isGlobal: transition.from.length === 0,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    };
  }
}

/** An instant as Jira writes it: `2024-01-10T09:00:00.000+0000`. */
export function jiraTime(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}
