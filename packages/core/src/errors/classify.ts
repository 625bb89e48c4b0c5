import { TransportFailure } from '../http/transport-failure.js';
import type { RawResponse } from '../http/types.js';
import type { Redactor } from '../redact/redactor.js';
import type { ErrorCode } from './error-types.js';
import {
  IntegrationAuthError,
  type IntegrationError,
  type IntegrationErrorDetails,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  IntegrationTimeoutError,
  isIntegrationError,
} from './integration-error.js';

/** The call an error belongs to; every string in it is redacted before it is stored. */
export interface ErrorContext {
  integration: string;
  operation: string;
  method: string;
  /** Full URL of the request, NOT yet redacted. */
  url: string;
  redactor: Redactor;
}

/** Why the attempt's abort signal fired, when it was ours and not the caller's. */
export class TimeoutReason extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'ATTEMPT_TIMEOUT' | 'DEADLINE_EXCEEDED'>,
    readonly ms: number,
  ) {
    super(code === 'ATTEMPT_TIMEOUT' ? `attempt timed out after ${ms} ms` : `deadline of ${ms} ms exceeded`);
    this.name = 'TimeoutReason';
  }
}

/**
 * Maps an HTTP status to the seed's taxonomy: 401/403 auth, 429 rate limited, 408 and 5xx
 * temporary, any other 4xx (and an unfollowed 3xx) permanent. `retryAfterMs` is what the
 * response asked for, already parsed.
 */
export function errorFromResponse(
  res: RawResponse,
  ctx: ErrorContext,
  retryAfterMs: number | undefined,
  quotaExhausted = false,
): IntegrationError {
  const { status } = res;
  const body = ctx.redactor.truncated(res.body.toString('utf8'));
  const where = `${ctx.method} ${ctx.redactor.url(ctx.url)}`;
  const details: IntegrationErrorDetails = {
    integration: ctx.integration,
    operation: ctx.operation,
    status,
    code: 'HTTP_STATUS',
    method: ctx.method,
    url: ctx.redactor.url(ctx.url),
    body,
    requestSent: true,
  };
  if (retryAfterMs !== undefined) details.retryAfter = Math.ceil(retryAfterMs / 1000);
  const suffix = body ? `: ${body}` : '';
  if ((status === 401 || status === 403) && quotaExhausted) {
    // GitHub answers an exhausted quota (primary or secondary) with 403: a wait, not a bad credential.
    const after = details.retryAfter === undefined ? '' : `, retry after ${details.retryAfter}s`;
    return new IntegrationRateLimited(`Rate limited (HTTP ${status}${after}) on ${where}${suffix}`, details);
  }
  if (status === 401 || status === 403) {
    return new IntegrationAuthError(`Authentication failed (HTTP ${status}) on ${where}${suffix}`, details);
  }
  if (status === 429) {
    const after = details.retryAfter === undefined ? '' : `, retry after ${details.retryAfter}s`;
    return new IntegrationRateLimited(`Rate limited (HTTP 429${after}) on ${where}${suffix}`, details);
  }
  if (status === 408 || status >= 500) {
    return new IntegrationTemporaryError(`Server error (HTTP ${status}) on ${where}${suffix}`, details);
  }
  if (status >= 300 && status < 400) {
    return new IntegrationPermanentError(`Redirect (HTTP ${status}) not followed for ${where}`, {
      ...details,
      code: 'REDIRECT_NOT_FOLLOWED',
    });
  }
  return new IntegrationPermanentError(`Request rejected (HTTP ${status}) on ${where}${suffix}`, details);
}

interface CodedError {
  code?: string;
  message?: string;
}

const CONNECT_FAILURES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ENOTFOUND: 'DNS_FAILURE',
  EAI_AGAIN: 'DNS_FAILURE',
  EHOSTUNREACH: 'CONNECTION_REFUSED',
  ENETUNREACH: 'CONNECTION_REFUSED',
};

/**
 * Maps anything an attempt threw (undici errors, our abort reasons, transport failures) to a
 * typed IntegrationError. `requestSent: false` marks failures where the request certainly never
 * left: those are safe to retry for any method.
 */
export function errorFromThrown(
  thrown: unknown,
  ctx: ErrorContext,
  timeouts: { connect: number; headers: number; body: number },
): IntegrationError {
  if (isIntegrationError(thrown)) return thrown;
  const where = `${ctx.method} ${ctx.redactor.url(ctx.url)}`;
  const base: IntegrationErrorDetails = {
    integration: ctx.integration,
    operation: ctx.operation,
    method: ctx.method,
    url: ctx.redactor.url(ctx.url),
    cause: undefined,
  };
  if (thrown instanceof TimeoutReason) {
    return new IntegrationTimeoutError(`${capitalise(thrown.message)} on ${where}`, {
      ...base,
      code: thrown.code,
    });
  }
  if (thrown instanceof TransportFailure) {
    const details = {
      ...base,
      code: thrown.code,
      status: thrown.status,
      requestSent: thrown.code !== 'EGRESS_DENIED',
    };
    return new IntegrationPermanentError(`${capitalise(thrown.message)} on ${where}`, details);
  }
  const code = (thrown as CodedError)?.code ?? '';
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new IntegrationTimeoutError(`Connect timed out after ${timeouts.connect} ms on ${where}`, {
        ...base,
        code: 'CONNECT_TIMEOUT',
        requestSent: false,
      });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new IntegrationTimeoutError(`No response headers within ${timeouts.headers} ms on ${where}`, {
        ...base,
        code: 'HEADERS_TIMEOUT',
        requestSent: true,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new IntegrationTimeoutError(`Response body stalled for ${timeouts.body} ms on ${where}`, {
        ...base,
        code: 'BODY_TIMEOUT',
        requestSent: true,
      });
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new IntegrationTemporaryError(`Response body shorter or longer than declared on ${where}`, {
        ...base,
        code: 'INVALID_RESPONSE',
        requestSent: true,
      });
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED' || code.startsWith('ERR_INVALID_')) {
    // A request we could not even build (a header with CRLF, a bad option): retrying cannot help,
    // and it says nothing about the upstream's health.
    const message = ctx.redactor.truncated(String((thrown as CodedError)?.message ?? thrown), 200);
    return new IntegrationPermanentError(`Request could not be sent (${code}: ${message}) on ${where}`, {
      ...base,
      code: 'INVALID_REQUEST',
      requestSent: false,
    });
  }
  const connectCode = CONNECT_FAILURES[code];
  if (connectCode !== undefined) {
    return new IntegrationTemporaryError(`Connection failed (${code}) on ${where}`, {
      ...base,
      code: connectCode,
      requestSent: false,
    });
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code.startsWith('UND_ERR_SOCKET') ||
    code === 'UND_ERR_CLOSED'
  ) {
    return new IntegrationTemporaryError(`Connection lost (${code}) on ${where}`, {
      ...base,
      code: 'CONNECTION_RESET',
      requestSent: true,
    });
  }
  // Unknown: the message may quote the request, so it is redacted and the cause not kept.
  const message = ctx.redactor.truncated(String((thrown as CodedError)?.message ?? thrown), 200);
  return new IntegrationTemporaryError(`Request failed (${code || 'unknown'}: ${message}) on ${where}`, {
    ...base,
    code: 'SOCKET_ERROR',
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
