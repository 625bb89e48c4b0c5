import { type AnyOperation, isIntegrationError, rewordError } from '@patchbay/core';
import type { JiraConfig } from './config.js';

/**
 * The messages of a Jira error body, `{ errorMessages: [...], errors: { field: message } }`,
 * as one line: `Issue does not exist; summary: You must specify a summary`. `undefined` when
 * the body is not that shape (an HTML error page, a truncated body).
 */
export function jiraErrorDetail(body: string | undefined): string | undefined {
  if (!body) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { errorMessages, errors } = parsed as { errorMessages?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (Array.isArray(errorMessages))
    parts.push(...errorMessages.filter((m): m is string => typeof m === 'string'));
  if (typeof errors === 'object' && errors !== null) {
    for (const [field, message] of Object.entries(errors)) {
      if (typeof message === 'string') parts.push(`${field}: ${message}`);
    }
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

const AUTH_HINT =
  ' (check the Jira username, which is the account email, and its API token: JIRA_USERNAME, JIRA_API_TOKEN)';

/**
 * The same error with Jira's own words in its message instead of the raw JSON body: same
 * class, same fields (status, retryAfter, body, …). The body was redacted by the kernel before
 * it was stored, so nothing read from it can hold a credential. Anything else passes through.
 */
export function explainJiraError(error: unknown): unknown {
  if (!isIntegrationError(error) || error.status === undefined) return error;
  const detail = jiraErrorDetail(error.body);
  const suffix = error.body ? `: ${error.body}` : '';
  const hint = error.type === 'IntegrationAuthError' && error.status === 401 ? AUTH_HINT : '';
  if (detail === undefined && hint === '') return error;
  const head =
    suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  const message = detail === undefined ? `${head}${hint}${suffix}` : `${head}: ${detail}${hint}`;
  return rewordError(error, message);
}

/**
 * Wraps every operation's `run` so Jira's error bodies read as messages. One place, so no
 * operation can forget it.
 */
export function withJiraErrors<Ops extends Record<string, AnyOperation<JiraConfig>>>(operations: Ops): Ops {
  const wrapped: Record<string, AnyOperation<JiraConfig>> = {};
  for (const [name, operation] of Object.entries(operations)) {
    wrapped[name] = {
      ...operation,
      run: (ctx, input) =>
        operation.run(ctx, input).catch((error: unknown) => {
          throw explainJiraError(error);
        }),
    };
  }
  return wrapped as Ops;
}
