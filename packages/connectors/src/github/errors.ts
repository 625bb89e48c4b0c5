import {
  type FieldIssue,
  IntegrationRateLimited,
  isErrorType,
  isIntegrationError,
  rewordError,
} from '@patchbay/core';
import { z } from 'zod';

/**
 * GitHub's error body: `{"message":"Validation Failed","errors":[{"resource":"Issue",
 * "field":"title","code":"missing_field"}],"documentation_url":"…","status":"422"}`.
 */
const GitHubErrorBody = z.object({
  message: z.string(),
  errors: z
    .array(
      z.union([
        z.string(),
        z.object({
          resource: z.string().optional(),
          field: z.string().optional(),
          code: z.string().optional(),
          message: z.string().optional(),
          value: z.unknown().optional(),
        }),
      ]),
    )
    .optional(),
  documentation_url: z.string().optional(),
});

/**
 * GitHub's docs: without `retry-after` or an exhausted `x-ratelimit-remaining`, wait at least a
 * minute after a secondary rate limit.
 */
export const SECONDARY_LIMIT_WAIT_SECONDS = 60;

/** GitHub names its rate limits in the message of a 403 that may carry no rate-limit header. */
const RATE_LIMIT_MESSAGE = /secondary rate limit|api rate limit exceeded/i;

/**
 * Says in GitHub's words what went wrong:
 * - a 403 the kernel read as an auth failure whose message names a rate limit (GitHub's
 *   secondary limit sometimes comes without `retry-after`) becomes `IntegrationRateLimited`
 *   with GitHub's documented minimum wait of 60 s;
 * - a rejected request (4xx) carries GitHub's `message`, and for a 422 each `errors` entry
 *   (`Issue.assignees: invalid (nobody)`), also as `issues`.
 * Anything else passes through as the kernel classified it, and so does a body that is not
 * GitHub's shape (or was cut at 500 characters).
 */
export function explainGitHubError(error: unknown): unknown {
  if (!isIntegrationError(error) || error.status === undefined || error.body === undefined) return error;
  if (
    isErrorType(error, 'IntegrationAuthError') &&
    error.status === 403 &&
    RATE_LIMIT_MESSAGE.test(error.body)
  ) {
    return rewordError(
      error,
      `GitHub rate limit (HTTP 403, retry after ${SECONDARY_LIMIT_WAIT_SECONDS}s) on ${error.method} ${error.url}: ${messageOf(error.body) ?? error.body}`,
      { retryAfter: SECONDARY_LIMIT_WAIT_SECONDS, retryAfterMs: SECONDARY_LIMIT_WAIT_SECONDS * 1000 },
      IntegrationRateLimited,
    );
  }
  if (!isErrorType(error, 'IntegrationPermanentError') || error.status < 400 || error.status >= 500)
    return error;
  const body = parseBody(error.body);
  if (!body) return error;
  const issues: FieldIssue[] = (body.errors ?? []).map((entry) =>
    typeof entry === 'string'
      ? { path: '', message: entry }
      : {
          path: entry.field ?? '',
          message:
            entry.message ??
            [
              entry.code ?? 'invalid',
              typeof entry.value === 'string' || typeof entry.value === 'number' ? `(${entry.value})` : '',
            ]
              .filter(Boolean)
              .join(' '),
        },
  );
  const said = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return rewordError(
    error,
    `GitHub: ${body.message}${said ? ` (${said})` : ''} (HTTP ${error.status}) on ${error.method} ${error.url}`,
    issues.length > 0 ? { issues } : {},
  );
}

function parseBody(text: string): z.output<typeof GitHubErrorBody> | undefined {
  try {
    const parsed = GitHubErrorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(text: string): string | undefined {
  return parseBody(text)?.message;
}
