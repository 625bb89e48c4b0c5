export { defaultGitHubSeed } from './default-seed.js';
export {
  type FakeGitHub,
  type FakeGitHubExchange,
  type FakeGitHubOptions,
  type PrimaryRateLimitOptions,
  type SecondaryRateLimitOptions,
  startFakeGitHub,
} from './fake-github.js';
export type {
  BranchRecord,
  CommentRecord,
  CommitRecord,
  IssueRecord,
  LabelRecord,
  MilestoneRecord,
  PullRecord,
  RepositoryRecord,
  UserRecord,
} from './model.js';
export type {
  FakeCommitSeed,
  FakeFileChange,
  FakeGitHubSeed,
  FakeIssueSeed,
  FakePullSeed,
  FakeRepositorySeed,
  FakeUserSeed,
} from './seed.js';
export { GitHubWorld } from './world.js';
