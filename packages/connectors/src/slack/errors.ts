import {
  IntegrationAuthError,
  type IntegrationError,
  type IntegrationErrorDetails,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
} from '@patchbay/core';

/** How a Slack `error` code is treated: which of the kernel's error classes it becomes. */
export type SlackErrorKind = 'auth' | 'rate_limited' | 'temporary' | 'permanent';

/**
 * Slack's `{"ok": false, "error": code}` codes, by kind. Codes not listed are permanent: an
 * unknown failure is not worth retrying blindly. The permanent ones listed are those this
 * connector's methods document, so the table doubles as a reference (and a test table).
 */
export const SLACK_ERROR_KINDS: Readonly<Record<string, SlackErrorKind>> = {
  // The credential is missing, wrong, revoked, or lacks a scope: a person must fix it.
  not_authed: 'auth',
  invalid_auth: 'auth',
  account_inactive: 'auth',
  token_revoked: 'auth',
  token_expired: 'auth',
  missing_scope: 'auth',
  no_permission: 'auth',
  not_allowed_token_type: 'auth',
  ekm_access_denied: 'auth',
  team_access_not_granted: 'auth',
  org_login_required: 'auth',
  // Slack says "too many" in a 200 body: chat.postMessage's per-channel limit, and the generic one.
  ratelimited: 'rate_limited',
  rate_limited: 'rate_limited',
  message_limit_exceeded: 'rate_limited',
  // Slack's own trouble, or a workspace mid-migration: the same call may succeed later.
  internal_error: 'temporary',
  fatal_error: 'temporary',
  service_unavailable: 'temporary',
  request_timeout: 'temporary',
  team_added_to_org: 'temporary',
  // The request is wrong for this workspace's state: retrying the same call cannot help.
  channel_not_found: 'permanent',
  user_not_found: 'permanent',
  users_not_found: 'permanent',
  user_disabled: 'permanent',
  not_in_channel: 'permanent',
  is_archived: 'permanent',
  msg_too_long: 'permanent',
  no_text: 'permanent',
  invalid_blocks: 'permanent',
  invalid_blocks_format: 'permanent',
  message_not_found: 'permanent',
  thread_not_found: 'permanent',
  cant_update_message: 'permanent',
  cant_delete_message: 'permanent',
  edit_window_closed: 'permanent',
  already_reacted: 'permanent',
  no_reaction: 'permanent',
  invalid_name: 'permanent',
  name_taken: 'permanent',
  already_in_channel: 'permanent',
  cant_invite_self: 'permanent',
  method_not_supported_for_channel_type: 'permanent',
  invalid_cursor: 'permanent',
  invalid_limit: 'permanent',
  invalid_arguments: 'permanent',
  invalid_json: 'permanent',
  json_not_object: 'permanent',
};

export function slackErrorKind(code: string): SlackErrorKind {
  return Object.hasOwn(SLACK_ERROR_KINDS, code) ? SLACK_ERROR_KINDS[code]! : 'permanent';
}

/** What Slack said about a failed call, kept on the error (read it with {@link slackErrorOf}). */
export interface SlackErrorInfo {
  /** Slack's error code, e.g. `'channel_not_found'`. */
  error: string;
  /** The Web API method, e.g. `'chat.postMessage'`. */
  method: string;
  /** For `missing_scope`: the scope(s) the method needs. */
  needed?: string[];
  /** For `missing_scope`: the scopes the token has. */
  provided?: string[];
}

/** The fields of a Slack failure body this connector reads. */
export interface SlackFailureBody {
  ok: false;
  error: string;
  needed?: string;
  provided?: string;
}

const SLACK_INFO = Symbol.for('patchbay.slack.error');

/**
 * Slack's error code and scope details of an error a Slack call threw, or undefined when the
 * error did not come from a Slack `ok: false` answer. Works across copies of this package.
 * @example
 * try { await slack.call('send_message', { channel: 'C123', text: 'hi' }); }
 * catch (error) {
 *   if (slackErrorOf(error)?.error === 'not_in_channel') await slack.call('join_channel', { channel: 'C123' });
 * }
 */
export function slackErrorOf(error: unknown): SlackErrorInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [SLACK_INFO]?: SlackErrorInfo })[SLACK_INFO];
}

/** Where the failed call went, already redacted. */
export interface SlackCallSite {
  operation: string;
  httpMethod: string;
  /** Redacted URL. */
  url: string;
  status: number;
  /** Redacted, truncated response body. */
  body: string;
  /** Milliseconds from `Retry-After`, when the answer carried one. */
  retryAfterMs: number | undefined;
}

/**
 * The kernel error for a Slack failure body: auth, rate-limited, temporary or permanent by
 * {@link SLACK_ERROR_KINDS}, its message naming Slack's code (and the missing scope), and
 * {@link SlackErrorInfo} attached for code that branches on it.
 */
export function slackApiError(
  method: string,
  failure: SlackFailureBody,
  site: SlackCallSite,
): IntegrationError {
  const info: SlackErrorInfo = { error: failure.error, method };
  const needed = scopes(failure.needed);
  const provided = scopes(failure.provided);
  if (needed) info.needed = needed;
  if (provided) info.provided = provided;

  const kind = slackErrorKind(failure.error);
  const details: IntegrationErrorDetails = {
    integration: 'slack',
    operation: site.operation,
    status: site.status,
    method: site.httpMethod,
    url: site.url,
    body: site.body,
    requestSent: true,
  };
  const scopeNote = needed
    ? ` (needs ${needed.join(', ')}; token has ${provided?.join(', ') || 'none'})`
    : '';
  const message = `Slack ${method} failed: ${failure.error}${scopeNote}`;
  const error = build(kind, failure.error, message, details, site);
  Object.defineProperty(error, SLACK_INFO, { value: info, enumerable: false });
  return error;
}

/**
 * Slack's words for these: "it's possible some aspect of the operation succeeded before the error
 * was raised". After a write, sending it again may apply it twice.
 */
const MAY_HAVE_APPLIED = new Set(['internal_error', 'fatal_error']);

function build(
  kind: SlackErrorKind,
  code: string,
  message: string,
  details: IntegrationErrorDetails,
  site: SlackCallSite,
): IntegrationError {
  switch (kind) {
    case 'auth':
      return new IntegrationAuthError(message, details);
    case 'rate_limited':
      return new IntegrationRateLimited(
        message,
        site.retryAfterMs === undefined
          ? details
          : { ...details, retryAfter: Math.ceil(site.retryAfterMs / 1000), retryAfterMs: site.retryAfterMs },
      );
    case 'temporary':
      return new IntegrationTemporaryError(message, {
        ...details,
        retryable: site.httpMethod === 'GET' || !MAY_HAVE_APPLIED.has(code),
      });
    case 'permanent':
      return new IntegrationPermanentError(message, details);
  }
}

function scopes(list: string | undefined): string[] | undefined {
  if (typeof list !== 'string' || list === '') return undefined;
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
