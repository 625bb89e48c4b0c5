import {
  type CommentRecord,
  fullName,
  type IssueRecord,
  type LabelRecord,
  nodeId,
  type RepositoryRecord,
} from '../model.js';
import type { GitHubWorld } from '../world.js';
import { type Hosts, simpleUser } from './user.js';

/** GitHub's `issue`; a pull request's issue half carries the `pull_request` link, as in the issues list. */
export function issue(
  hosts: Hosts,
  world: GitHubWorld,
  repo: RepositoryRecord,
  record: IssueRecord,
): Record<string, unknown> {
  const name = fullName(repo);
  const api = `${hosts.api}/repos/${name}/issues/${record.number}`;
  const user = (login: string) => simpleUser(hosts, world.user(login));
  const assignees = record.assignees.map(user);
  const out: Record<string, unknown> = {
    url: api,
    repository_url: `${hosts.api}/repos/${name}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${hosts.html}/${name}/${record.pull ? 'pull' : 'issues'}/${record.number}`,
    id: record.id,
    node_id: nodeId(record.pull ? 'PullRequest' : 'Issue', record.id),
    number: record.number,
    title: record.title,
    user: user(record.user),
    labels: labelsOf(hosts, repo, record.labels),
    state: record.state,
    locked: record.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: milestone(hosts, world, repo, record.milestone),
    comments: record.comments.length,
    created_at: record.created_at,
    updated_at: record.updated_at,
    closed_at: record.closed_at,
    author_association: record.user === repo.owner ? 'OWNER' : 'CONTRIBUTOR',
    active_lock_reason: null,
    body: record.body,
    closed_by: record.closed_by === null ? null : user(record.closed_by),
    reactions: reactions(`${api}/reactions`),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    state_reason: record.state_reason,
  };
  if (record.pull) {
    const html = `${hosts.html}/${name}/pull/${record.number}`;
    out.draft = record.pull.draft;
    out.pull_request = {
      url: `${hosts.api}/repos/${name}/pulls/${record.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: record.pull.merged_at,
    };
  }
  return out;
}

export function label(hosts: Hosts, repo: RepositoryRecord, record: LabelRecord): Record<string, unknown> {
  return {
    id: record.id,
    node_id: nodeId('Label', record.id),
    url: `${hosts.api}/repos/${fullName(repo)}/labels/${encodeURIComponent(record.name)}`,
    name: record.name,
    color: record.color,
    default: false,
    description: record.description,
  };
}

export function labelsOf(
  hosts: Hosts,
  repo: RepositoryRecord,
  names: readonly string[],
): Record<string, unknown>[] {
  return names.flatMap((name) => {
    const record = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    return record ? [label(hosts, repo, record)] : [];
  });
}

export function milestone(
  hosts: Hosts,
  world: GitHubWorld,
  repo: RepositoryRecord,
  number: number | null,
): Record<string, unknown> | null {
  const record = repo.milestones.find((m) => m.number === number);
  if (!record) return null;
  const name = fullName(repo);
  const api = `${hosts.api}/repos/${name}/milestones/${record.number}`;
  const issues = repo.issues.filter((i) => i.milestone === record.number);
  return {
    url: api,
    html_url: `${hosts.html}/${name}/milestone/${record.number}`,
    labels_url: `${api}/labels`,
    id: record.id,
    node_id: nodeId('Milestone', record.id),
    number: record.number,
    title: record.title,
    description: record.description,
    creator: simpleUser(hosts, world.user(record.creator)),
    open_issues: issues.filter((i) => i.state === 'open').length,
    closed_issues: issues.filter((i) => i.state === 'closed').length,
    state: record.state,
    created_at: record.created_at,
    updated_at: record.created_at,
    due_on: record.due_on,
    closed_at: null,
  };
}

/** GitHub's `issue-comment`. */
export function issueComment(
  hosts: Hosts,
  world: GitHubWorld,
  repo: RepositoryRecord,
  record: IssueRecord,
  comment: CommentRecord,
): Record<string, unknown> {
  const name = fullName(repo);
  const api = `${hosts.api}/repos/${name}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: api,
    html_url: `${hosts.html}/${name}/${record.pull ? 'pull' : 'issues'}/${record.number}#issuecomment-${comment.id}`,
    body: comment.body,
    user: simpleUser(hosts, world.user(comment.user)),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    issue_url: `${hosts.api}/repos/${name}/issues/${record.number}`,
    author_association: comment.user === repo.owner ? 'OWNER' : 'CONTRIBUTOR',
    performed_via_github_app: null,
    reactions: reactions(`${api}/reactions`),
  };
}

function reactions(url: string): Record<string, unknown> {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}
