import { type OperationContext, secret } from '@patchbay/core';
import { z } from 'zod';

/** A Jira Cloud site and the API token of one account on it (seed 002's env names). */
export const JiraConfig = z.object({
  baseUrl: z.string().url().describe('The Jira Cloud site, e.g. https://acme.atlassian.net'),
  username: z.string().min(1).describe('The email of the Atlassian account the API token belongs to'),
  // secret() is not described: a described copy would no longer be recognised as a secret.
  apiToken: secret(),
});
export type JiraConfig = z.output<typeof JiraConfig>;

/** What a Jira operation's `run` receives. */
export type JiraContext = OperationContext<JiraConfig>;

/** The REST v3 root every path hangs from. */
export const API = '/rest/api/3';

/** `/rest/api/3/issue/{issueIdOrKey}` plus `suffix`, the key percent-encoded. */
export function issuePath(issueKey: string, suffix = ''): string {
  return `${API}/issue/${encodeURIComponent(issueKey)}${suffix}`;
}

/** `/rest/api/3/project/{projectIdOrKey}` plus `suffix`, the key percent-encoded. */
export function projectPath(projectKey: string, suffix = ''): string {
  return `${API}/project/${encodeURIComponent(projectKey)}${suffix}`;
}
