import {
  fullName,
  headOf,
  type IssueRecord,
  nodeId,
  type PullRecord,
  type RepositoryRecord,
  sha1,
} from '../model.js';
import type { GitHubWorld } from '../world.js';
import { labelsOf, milestone } from './issue.js';
import { repository } from './repository.js';
import { type Hosts, simpleUser } from './user.js';

/** GitHub's `pull-request-simple`, as the pulls list sends it. */
export function pullSimple(
  hosts: Hosts,
  world: GitHubWorld,
  repo: RepositoryRecord,
  record: IssueRecord & { pull: PullRecord },
): Record<string, unknown> {
  const name = fullName(repo);
  const api = `${hosts.api}/repos/${name}`;
  const html = `${hosts.html}/${name}/pull/${record.number}`;
  const user = (login: string) => simpleUser(hosts, world.user(login));
  const assignees = record.assignees.map(user);
  const pull = record.pull;
  const headSha = headOf(repo, pull.head) ?? sha1(name, 'head', pull.head);
  const branch = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: user(repo.owner),
    repo: repository(hosts, world, repo),
  });
  return {
    url: `${api}/pulls/${record.number}`,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${record.number}`,
    commits_url: `${api}/pulls/${record.number}/commits`,
    review_comments_url: `${api}/pulls/${record.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${record.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: record.number,
    state: record.state,
    locked: record.locked,
    title: record.title,
    user: user(record.user),
    body: record.body,
    // The simple form's schema wants a string description, never null.
    labels: labelsOf(hosts, repo, record.labels).map((l) => ({ ...l, description: l.description ?? '' })),
    milestone: milestone(hosts, world, repo, record.milestone),
    active_lock_reason: null,
    created_at: record.created_at,
    updated_at: record.updated_at,
    closed_at: record.closed_at,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.merged_at ? sha1(name, 'merge', String(record.number)) : null,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pull.requested_reviewers.map(user),
    requested_teams: [],
    head: branch(pull.head, headSha),
    base: branch(pull.base, headOf(repo, pull.base) ?? sha1(name, 'base', pull.base)),
    _links: {
      self: { href: `${api}/pulls/${record.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${record.number}` },
      comments: { href: `${api}/issues/${record.number}/comments` },
      review_comments: { href: `${api}/pulls/${record.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${record.number}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: record.user === repo.owner ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: pull.draft,
  };
}

/** GitHub's full `pull-request`: the simple form plus merge state and diff totals. */
export function pullFull(
  hosts: Hosts,
  world: GitHubWorld,
  repo: RepositoryRecord,
  record: IssueRecord & { pull: PullRecord },
): Record<string, unknown> {
  const pull = record.pull;
  const merged = pull.merged_at !== null;
  return {
    ...pullSimple(hosts, world, repo, record),
    labels: labelsOf(hosts, repo, record.labels),
    merged,
    mergeable: record.state === 'open' ? true : null,
    rebaseable: record.state === 'open' ? true : null,
    mergeable_state: record.state === 'open' ? 'clean' : 'unknown',
    merged_by: pull.merged_by === null ? null : simpleUser(hosts, world.user(pull.merged_by)),
    comments: record.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.commits,
    additions: pull.files.reduce((n, f) => n + f.additions, 0),
    deletions: pull.files.reduce((n, f) => n + f.deletions, 0),
    changed_files: pull.files.length,
  };
}
