// Jira Cloud (REST v3) connector.
export { type AdfDocument, AdfNode, adfToText, RichText, textToAdf, toAdf } from './adf.js';
export { JiraConfig, type JiraContext } from './config.js';
export { jira } from './integration.js';
export { explainJiraError, jiraErrorDetail } from './jira-errors.js';
export {
  buildSearchJql,
  filterClauses,
  type IssueFilters,
  type JqlOrder,
  type JqlParts,
  jqlString,
  jqlText,
  splitJql,
} from './jql.js';
export { DEFAULT_ISSUE_FIELDS, UpdateIssueInput } from './operations/issues.js';
export { DEFAULT_SEARCH_FIELDS, SearchIssuesInput } from './operations/search.js';
export { TransitionIssueInput } from './operations/workflow.js';
export { JiraComment, JiraIssue, JiraProject, JiraStatus, JiraTransition, JiraUser } from './schemas.js';
