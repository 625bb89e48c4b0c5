// The fake Jira Cloud site (REST v3) for Patchbay's tests and yours.
export { adfText, isAdfDocument } from './adf-text.js';
export { type FakeJira, type FakeJiraExchange, type FakeJiraOptions, startFakeJira } from './fake-jira.js';
export {
  type JqlClause,
  type JqlNode,
  type JqlOperand,
  type JqlOperator,
  type JqlOrderBy,
  type JqlQuery,
  JqlSyntaxError,
} from './jql/ast.js';
export { parseJql } from './jql/parse.js';
export type {
  FakeJiraComment,
  FakeJiraData,
  FakeJiraIssue,
  FakeJiraIssueType,
  FakeJiraPriority,
  FakeJiraProject,
  FakeJiraStatus,
  FakeJiraTransition,
  FakeJiraUser,
  FakeJiraWorkflow,
} from './model.js';
export { defaultJiraData, FAKE_JIRA_AGENT } from './seed.js';
