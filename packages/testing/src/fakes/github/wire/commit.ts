import { type CommitRecord, fullName, nodeId, type RepositoryRecord, sha1 } from '../model.js';
import type { FakeFileChange } from '../seed.js';
import type { GitHubWorld } from '../world.js';
import { type Hosts, simpleUser } from './user.js';

/** GitHub's `commit`; `files` (with `stats`) only on the single-commit endpoint, as GitHub does. */
export function commit(
  hosts: Hosts,
  world: GitHubWorld,
  repo: RepositoryRecord,
  record: CommitRecord,
  files?: readonly FakeFileChange[],
): Record<string, unknown> {
  const name = fullName(repo);
  const api = `${hosts.api}/repos/${name}`;
  const account = record.authorLogin ? simpleUser(hosts, world.user(record.authorLogin)) : null;
  const out: Record<string, unknown> = {
    sha: record.sha,
    node_id: nodeId('Commit', parseInt(record.sha.slice(0, 8), 16)),
    commit: {
      author: record.author,
      committer: record.committer,
      message: record.message,
      tree: { sha: record.treeSha, url: `${api}/git/trees/${record.treeSha}` },
      url: `${api}/git/commits/${record.sha}`,
      comment_count: 0,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    url: `${api}/commits/${record.sha}`,
    html_url: `${hosts.html}/${name}/commit/${record.sha}`,
    comments_url: `${api}/commits/${record.sha}/comments`,
    author: account,
    committer: account,
    parents: record.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${hosts.html}/${name}/commit/${sha}`,
    })),
  };
  if (files) {
    const additions = record.files.reduce((n, f) => n + f.additions, 0);
    const deletions = record.files.reduce((n, f) => n + f.deletions, 0);
    out.stats = { total: additions + deletions, additions, deletions };
    out.files = files.map((f) => diffEntry(hosts, repo, record.sha, f));
  }
  return out;
}

/** GitHub's `diff-entry`: one file of a commit, a comparison or a pull request. */
export function diffEntry(
  hosts: Hosts,
  repo: RepositoryRecord,
  ref: string,
  change: FakeFileChange,
): Record<string, unknown> {
  const name = fullName(repo);
  const path = change.filename.split('/').map(encodeURIComponent).join('/');
  const status = change.status ?? 'modified';
  const out: Record<string, unknown> = {
    sha: status === 'removed' ? null : sha1('blob', ref, change.filename),
    filename: change.filename,
    status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${hosts.html}/${name}/blob/${ref}/${path}`,
    raw_url: `${hosts.html}/${name}/raw/${ref}/${path}`,
    contents_url: `${hosts.api}/repos/${name}/contents/${path}?ref=${ref}`,
  };
  // GitHub leaves `patch` out for binary files and diffs too large to show.
  if (change.patch !== null) out.patch = change.patch ?? syntheticPatch(change);
  if (change.previous_filename !== undefined) out.previous_filename = change.previous_filename;
  return out;
}

/** A hunk with the right number of added and removed lines, when the seed gave none. */
function syntheticPatch(change: FakeFileChange): string {
  const header = `@@ -1,${change.deletions} +1,${change.additions} @@`;
  const removed = Array.from({ length: change.deletions }, (_, i) => `-old line ${i + 1}`);
  const added = Array.from({ length: change.additions }, (_, i) => `+new line ${i + 1}`);
  return [header, ...removed, ...added].join('\n');
}
