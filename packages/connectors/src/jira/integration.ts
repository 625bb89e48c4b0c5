import { basic, defineIntegration } from '@patchbay/core';
import { API, JiraConfig } from './config.js';
import { withJiraErrors } from './jira-errors.js';
import { add_comment, list_comments } from './operations/comments.js';
import { assign_issue, create_issue, get_issue, update_issue } from './operations/issues.js';
import { find_project, get_project, list_project_statuses, list_projects } from './operations/projects.js';
import { search_issues } from './operations/search.js';
import { get_current_user, list_users, search_users } from './operations/users.js';
import { list_transitions, transition_issue } from './operations/workflow.js';

/**
 * Jira Cloud (REST v3) as typed operations: projects, issues and JQL search, workflow
 * transitions, comments and users. Basic auth with the account email and an API token.
 *
 * @example
 * const jira = createIntegration(jiraIntegration, { env: process.env });
 * const { project } = await jira.call('find_project', { name: 'Mobile App' });
 * const { issues } = await jira.call('search_issues', { project: project!.key, status: 'In Progress' });
 * await jira.call('transition_issue', { issueKey: issues[0]!.key, toStatus: 'Done', comment: 'Shipped' });
 */
export const jira = defineIntegration({
  name: 'jira',
  description: 'Jira Cloud: projects, issues, JQL search, workflow transitions, comments and users',
  config: JiraConfig,
  env: { baseUrl: 'JIRA_BASE_URL', username: 'JIRA_USERNAME', apiToken: 'JIRA_API_TOKEN' },
  auth: (c) => basic(c.username, c.apiToken),
  // Jira ignores Idempotency-Key: a retried create would open a second issue.
  client: { idempotencyHeader: false },
  policies: {
    retry: { maxRetries: 3, initialDelay: 500, maxDelay: 10_000 },
    // Seed 002's INTEGRATION_TIMEOUT default: 30 s an attempt; a tool call as a whole gets 90 s,
    // so a caller told to wait longer (a long Retry-After) is answered at once and can reschedule.
    timeout: 30_000,
    totalTimeout: 90_000,
    circuitBreaker: { failureThreshold: 5, recoveryTimeout: 30_000 },
    // Jira Cloud meters by cost, not a published count; 10 a second with bursts of 20 stays
    // well under its burst limits, and its 429s (Retry-After, X-RateLimit-Reset) pause us anyway.
    rateLimit: { maxRequests: 10, windowSeconds: 1, burstSize: 20 },
  },
  health: (ctx) => ctx.http.get(`${API}/myself`),
  operations: withJiraErrors({
    find_project,
    list_projects,
    get_project,
    list_project_statuses,
    search_issues,
    get_issue,
    create_issue,
    update_issue,
    assign_issue,
    list_transitions,
    transition_issue,
    add_comment,
    list_comments,
    list_users,
    search_users,
    get_current_user,
  }),
});
