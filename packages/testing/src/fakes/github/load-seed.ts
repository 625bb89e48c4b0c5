import { type CommitRecord, fullName, isoSeconds, type RepositoryRecord, sha1 } from './model.js';
import type { FakeCommitSeed, FakeIssueSeed, FakePullSeed, FakeRepositorySeed } from './seed.js';
import type { GitHubWorld } from './world.js';

/** Turns a repository of the seed into records, filling in what GitHub would (ids, shas, numbers). */
export function loadRepository(world: GitHubWorld, seed: FakeRepositorySeed): RepositoryRecord {
  const owner = world.user(seed.owner);
  const defaultBranch = seed.default_branch ?? 'main';
  const created = isoSeconds(seed.created_at ?? seed.commits?.[0]?.date ?? '2024-01-01T00:00:00Z');
  const repo: RepositoryRecord = {
    id: world.nextId(),
    owner: owner.login,
    name: seed.name,
    description: seed.description ?? null,
    private: seed.private ?? false,
    fork: seed.fork ?? false,
    archived: seed.archived ?? false,
    language: seed.language ?? null,
    topics: seed.topics ?? [],
    homepage: seed.homepage ?? null,
    stargazers_count: seed.stargazers_count ?? 0,
    forks_count: seed.forks_count ?? 0,
    license: seed.license ?? null,
    default_branch: defaultBranch,
    created_at: created,
    updated_at: created,
    pushed_at: created,
    collaborators: new Set([owner.login, ...(seed.collaborators ?? [])].map((l) => world.user(l).login)),
    commits: new Map(),
    branches: [],
    files: new Map(
      Object.entries(seed.files ?? {}).map(([path, content]) => [
        path,
        typeof content === 'string' ? new TextEncoder().encode(content) : content,
      ]),
    ),
    labels: (seed.labels ?? []).map((l) => ({
      ...l,
      id: world.nextId(),
      description: l.description ?? null,
    })),
    milestones: (seed.milestones ?? []).map((m, index) => ({
      id: world.nextId(),
      number: index + 1,
      title: m.title,
      state: m.state ?? 'open',
      description: m.description ?? null,
      creator: owner.login,
      created_at: created,
      due_on: m.due_on ?? null,
    })),
    issues: [],
  };
  loadCommits(world, repo, seed.commits ?? []);
  for (const branch of seed.branches ?? []) {
    const known = repo.branches.find((b) => b.name === branch.name);
    if (known) known.protected = branch.protected ?? false;
    else
      repo.branches.push({
        name: branch.name,
        head: repo.branches.find((b) => b.name === defaultBranch)?.head ?? '',
        protected: branch.protected ?? false,
      });
  }
  loadIssues(world, repo, seed.issues ?? [], seed.pulls ?? []);
  return repo;
}

function loadCommits(world: GitHubWorld, repo: RepositoryRecord, commits: FakeCommitSeed[]): void {
  const heads = new Map<string, string>();
  for (const seed of commits) {
    const branch = seed.branch ?? repo.default_branch;
    // A new branch forks from the default branch's newest commit so far.
    const parent = heads.get(branch) ?? heads.get(repo.default_branch);
    const identity =
      typeof seed.author === 'string' ? identityOf(world, seed.author) : { ...seed.author, login: undefined };
    const date = isoSeconds(seed.date);
    const sha = sha1(fullName(repo), parent ?? '', seed.message, date);
    const git = { name: identity.name, email: identity.email, date };
    const commit: CommitRecord = {
      sha,
      message: seed.message,
      author: git,
      committer: git,
      authorLogin: identity.login,
      treeSha: sha1('tree', sha),
      parents: parent ? [parent] : [],
      files: seed.files ?? [],
    };
    repo.commits.set(sha, commit);
    heads.set(branch, sha);
    if (date > repo.pushed_at) repo.pushed_at = date;
    if (date > repo.updated_at) repo.updated_at = date;
  }
  if (!heads.has(repo.default_branch)) {
    // Every repository has its default branch; an empty one points at a root commit.
    const sha = sha1(fullName(repo), 'initial');
    const git = {
      name: repo.owner,
      email: `${repo.owner}@users.noreply.github.com`,
      date: repo.created_at,
    };
    repo.commits.set(sha, {
      sha,
      message: 'Initial commit',
      author: git,
      committer: git,
      authorLogin: repo.owner,
      treeSha: sha1('tree', sha),
      parents: [],
      files: [],
    });
    heads.set(repo.default_branch, sha);
  }
  for (const [name, head] of heads) repo.branches.push({ name, head, protected: false });
}

function identityOf(world: GitHubWorld, login: string): { name: string; email: string; login: string } {
  const user = world.user(login);
  return {
    name: user.name ?? user.login,
    email: user.email ?? `${user.id}+${user.login}@users.noreply.github.com`,
    login: user.login,
  };
}

function loadIssues(
  world: GitHubWorld,
  repo: RepositoryRecord,
  issues: FakeIssueSeed[],
  pulls: FakePullSeed[],
): void {
  type Entry = { seed: FakeIssueSeed; pull?: FakePullSeed };
  const entries: Entry[] = [
    ...issues.map((seed) => ({ seed })),
    ...pulls.map((pull) => ({ seed: pull, pull })),
  ];
  // One number sequence for issues and pull requests, in the order they were opened.
  entries.sort((a, b) => Date.parse(a.seed.created_at) - Date.parse(b.seed.created_at));
  for (const [index, { seed, pull }] of entries.entries()) {
    const user = world.user(seed.user ?? repo.owner).login;
    const created = isoSeconds(seed.created_at);
    const state = seed.state ?? (pull?.merged_at ? 'closed' : 'open');
    const closedAt = seed.closed_at ?? pull?.merged_at;
    for (const name of seed.labels ?? []) world.ensureLabel(repo, name);
    repo.issues.push({
      id: world.nextId(),
      number: index + 1,
      title: seed.title,
      body: seed.body ?? null,
      state,
      state_reason:
        state === 'closed' ? ('state_reason' in seed ? (seed.state_reason ?? null) : 'completed') : null,
      user,
      labels: seed.labels ?? [],
      assignees: (seed.assignees ?? []).map((l) => world.user(l).login),
      milestone: seed.milestone ?? null,
      comments: (seed.comments ?? []).map((c) => ({
        id: world.nextId(),
        user: world.user(c.user).login,
        body: c.body,
        created_at: isoSeconds(c.created_at),
        updated_at: isoSeconds(c.created_at),
      })),
      created_at: created,
      updated_at: isoSeconds(seed.updated_at ?? closedAt ?? created),
      closed_at: state === 'closed' ? isoSeconds(closedAt ?? created) : null,
      closed_by: state === 'closed' ? (pull?.merged_by ?? repo.owner) : null,
      locked: seed.locked ?? false,
      pull: pull && {
        id: world.nextId(),
        head: pull.head,
        base: pull.base ?? repo.default_branch,
        draft: pull.draft ?? false,
        merged_at: pull.merged_at ? isoSeconds(pull.merged_at) : null,
        merged_by: pull.merged_by ?? (pull.merged_at ? repo.owner : null),
        files: pull.files,
        commits: pull.commits ?? 1,
        requested_reviewers: (pull.requested_reviewers ?? []).map((l) => world.user(l).login),
      },
    });
  }
}
