import { type ApiResponse, type PreparedRequest, parseRetryAfter, Redactor } from '@patchbay/core';
import { type SlackFailureBody, slackApiError } from './errors.js';

/**
 * The client's `handleResponse` hook: turns Slack's HTTP 200 `{"ok": false, "error": …}` into the
 * kernel's typed error (see `SLACK_ERROR_KINDS`).
 *
 * Why the hook and not a helper each operation calls: every request through the client passes
 * it (operations, the health check, calls added later), so none can forget; and a failure thrown
 * here is counted and logged by the client as a failure with its outcome (auth_error,
 * permanent_error, …), where a helper's throw would follow a call already recorded as a success.
 *
 * What the hook cannot do: it runs after the retry and breaker stages, so an `ok: false` answer is
 * never retried by the kernel nor counted by the breaker. That is accepted on purpose. Slack
 * signals real outages and rate limits with HTTP 5xx / 429, which the kernel does retry and
 * count; the `ok: false` temporary codes are rare, and two of them (`internal_error`,
 * `fatal_error`) may follow a partly applied write, where an automatic retry could post twice.
 * Those errors still say `retryable` (reads always, writes only when nothing was applied), so a
 * queue or the caller may try again.
 *
 * Bodies that are not parsed JSON objects (bytes for `client.fetch`, which hands a vendor SDK
 * Slack's own answer) pass untouched.
 */
export function slackResponseHandler(
  secrets: readonly string[],
): (response: ApiResponse<unknown>, request: PreparedRequest) => void {
  // The hook runs outside the kernel's redactor, so it keeps its own for the same secrets.
  const redactor = new Redactor({ secrets: secrets.filter((s) => s !== '') });
  return (response, request) => {
    if (!isFailure(response.body)) return;
    const path = request.path.split('?')[0] ?? '';
    const method = path.slice(path.lastIndexOf('/') + 1);
    // Slack's codes are short identifiers; an upstream that is not Slack could put anything there.
    const clean = (text: unknown) => (typeof text === 'string' ? redactor.truncated(text, 200) : undefined);
    const failure: SlackFailureBody = { ok: false, error: clean(response.body.error) ?? 'unknown' };
    const needed = clean(response.body.needed);
    const provided = clean(response.body.provided);
    if (needed !== undefined) failure.needed = needed;
    if (provided !== undefined) failure.provided = provided;
    throw slackApiError(method, failure, {
      operation: request.operation,
      httpMethod: request.method,
      url: redactor.url(request.origin + request.path),
      status: response.status,
      body: redactor.truncated(JSON.stringify(response.body)),
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  };
}

function isFailure(body: unknown): body is SlackFailureBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { ok?: unknown }).ok === false &&
    typeof (body as { error?: unknown }).error === 'string'
  );
}
