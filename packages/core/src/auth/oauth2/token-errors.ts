import {
  IntegrationAuthError,
  type IntegrationError,
  type IntegrationErrorDetails,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
} from '../../errors/integration-error.js';
import { parseRetryAfter } from '../../policies/retry-after.js';
import type { Redactor } from '../../redact/redactor.js';
import type { TerminalHealth } from './token-record.js';

/** A failed token request, classified. */
export interface TokenFailure {
  error: IntegrationError;
  /** The OAuth error code (`invalid_grant`, …) or `http_<status>`, `network`, `timeout`, `invalid_response`. */
  code: string;
  /** Set when the credential is dead until reconfigured: the token endpoint is not asked again. */
  health?: TerminalHealth;
}

/**
 * OAuth error codes (RFC 6749 §5.2) that no retry can cure. `invalid_grant` means the refresh
 * token (or grant) expired or was revoked; the others mean the client registration refuses
 * this credential. `invalid_request` is left out: it is too often a transient proxy mangling.
 */
export const TERMINAL_OAUTH_ERRORS: Readonly<Record<string, TerminalHealth>> = {
  invalid_grant: 'expired',
  invalid_client: 'revoked',
  unauthorized_client: 'revoked',
  unsupported_grant_type: 'revoked',
  invalid_scope: 'revoked',
};

/** OAuth error codes that say "later" (RFC 6749 §4.1.2.1, used by some token endpoints too). */
const TEMPORARY_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

export interface TokenErrorResponse {
  status: number;
  body: Buffer;
  retryAfter: string | string[] | undefined;
  grant: string;
  /** `POST <redacted url>`, for messages. */
  where: string;
  redactor: Redactor;
}

/**
 * Classifies a token endpoint answer that is not a token: 429 → rate limited (with its
 * Retry-After), 5xx and OAuth "later" codes → temporary, a terminal OAuth code → auth error and
 * a terminal health, any other 4xx → auth error, a 2xx without a token → permanent.
 * Messages carry the OAuth code and a redacted, truncated description, never a secret.
 */
export function tokenFailureFromResponse(res: TokenErrorResponse): TokenFailure {
  const oauth = oauthError(res.body);
  const described = oauth
    ? `${oauth.error}${oauth.description ? ` (${res.redactor.truncated(oauth.description, 200)})` : ''}`
    : `HTTP ${res.status}`;
  const details: IntegrationErrorDetails = {
    operation: 'oauth2_token',
    requestSent: false,
    code: oauth ? 'OAUTH_ERROR' : 'HTTP_STATUS',
  };
  const code = oauth?.error ?? `http_${res.status}`;

  if (res.status === 429) {
    const retryAfterMs = parseRetryAfter(res.retryAfter, Date.now());
    const error = new IntegrationRateLimited(
      `OAuth2 token endpoint rate limited the ${res.grant} grant: ${described} (${res.where})`,
      {
        ...details,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs, retryAfter: Math.ceil(retryAfterMs / 1000) }),
      },
    );
    return { error, code };
  }
  if (res.status >= 500 || (oauth && TEMPORARY_OAUTH_ERRORS.has(oauth.error))) {
    const error = new IntegrationTemporaryError(
      `OAuth2 token endpoint failed the ${res.grant} grant: ${described} (${res.where})`,
      details,
    );
    return { error, code };
  }
  if (res.status >= 200 && res.status < 300) {
    const error = new IntegrationPermanentError(
      `OAuth2 token endpoint answered HTTP ${res.status} without an access_token (${res.where})`,
      { ...details, code: 'INVALID_RESPONSE' },
    );
    return { error, code: 'invalid_response' };
  }
  const health = oauth ? TERMINAL_OAUTH_ERRORS[oauth.error] : undefined;
  const advice = health
    ? `; the credential is ${health} and will not be retried until it is reconfigured`
    : '';
  const error = new IntegrationAuthError(
    `OAuth2 token endpoint refused the ${res.grant} grant: ${described}${advice} (${res.where})`,
    details,
  );
  return health ? { error, code, health } : { error, code };
}

/** The `{ "error": "...", "error_description": "..." }` of RFC 6749 §5.2, when the body is one. */
function oauthError(body: Buffer): { error: string; description: string | undefined } | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as { error?: unknown; error_description?: unknown };
    if (typeof json?.error !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(json.error)) return undefined;
    const description = typeof json.error_description === 'string' ? json.error_description : undefined;
    return { error: json.error, description };
  } catch {
    return undefined;
  }
}

/** The error thrown, without calling the token endpoint, for a credential already known to be dead. */
export function terminalError(health: TerminalHealth, code: string, at: number): IntegrationAuthError {
  return new IntegrationAuthError(
    `OAuth2 credential is ${health} (${code} at ${new Date(at).toISOString()}): reconfigure it; the token endpoint is not called again for it`,
    { operation: 'oauth2_token', requestSent: false, code: 'CREDENTIAL_EXPIRED' },
  );
}
