export { type GitHubConfig, GitHubConfigSchema } from './config.js';
export { explainGitHubError, SECONDARY_LIMIT_WAIT_SECONDS } from './errors.js';
export { GITHUB_API_VERSION, github } from './github.js';
export { parseLinkHeader, relativeToBase } from './link-header.js';
export { GitHubAccount } from './schemas/account.js';
export {
  CommitDetail as GitHubCommitDetail,
  CommitSummary as GitHubCommitSummary,
  Comparison as GitHubComparison,
  FileChange as GitHubFileChange,
} from './schemas/commit.js';
export { FileContents as GitHubFileContents } from './schemas/contents.js';
export { Issue as GitHubIssue, IssueComment as GitHubIssueComment } from './schemas/issue.js';
export {
  PullRequestDetail as GitHubPullRequestDetail,
  PullRequestSummary as GitHubPullRequestSummary,
} from './schemas/pull-request.js';
export {
  Branch as GitHubBranch,
  Repository as GitHubRepository,
  RepositorySearchResult as GitHubRepositorySearchResult,
  RepositorySummary as GitHubRepositorySummary,
} from './schemas/repository.js';
