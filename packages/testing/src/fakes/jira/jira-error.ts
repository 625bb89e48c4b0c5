import type { FakeResponse } from '../../types.js';

/**
 * Jira's error body, `{ errorMessages: [...], errors: { field: message } }`, with a status.
 * @example
 * jiraError(400, [], { summary: 'You must specify a summary of the issue.' })
 */
export function jiraError(
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
  headers?: Record<string, string>,
): FakeResponse {
  return { status, json: { errorMessages, errors }, ...(headers && { headers }) };
}

/** The 404 Jira answers for an issue that is missing or hidden from the caller. */
export function issueNotFound(): FakeResponse {
  return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
}

/** The 404 Jira answers for a project that is missing or hidden from the caller. */
export function projectNotFound(keyOrId: string): FakeResponse {
  return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
}
