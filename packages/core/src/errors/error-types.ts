/**
 * The one table of error types. Every other mapping (HTTP status on the hub's wire, metric
 * outcome, default retryability) is a `Record<ErrorType, …>`, so adding a type without
 * deciding how it maps fails to compile.
 */
export type ErrorType =
  | 'IntegrationError'
  | 'IntegrationValidationError'
  | 'IntegrationDisabled'
  | 'IntegrationNotConfigured'
  | 'IntegrationAuthError'
  | 'IntegrationRateLimited'
  | 'IntegrationTemporaryError'
  | 'IntegrationPermanentError'
  | 'IntegrationTimeoutError'
  | 'CircuitOpenError';

/**
 * HTTP status the hub answers with for each type. An upstream 401/403 is a 502 here, never a
 * 401: the caller's hub token is fine, the integration's credential is not.
 */
export const HTTP_STATUS_BY_TYPE: Record<ErrorType, number> = {
  IntegrationError: 500,
  IntegrationValidationError: 400,
  IntegrationDisabled: 409,
  IntegrationNotConfigured: 409,
  IntegrationAuthError: 502,
  IntegrationRateLimited: 429,
  IntegrationTemporaryError: 503,
  IntegrationPermanentError: 502,
  IntegrationTimeoutError: 504,
  CircuitOpenError: 503,
};

/** Whether a call that failed this way may succeed if tried again later. */
export const RETRYABLE_BY_TYPE: Record<ErrorType, boolean> = {
  IntegrationError: false,
  IntegrationValidationError: false,
  IntegrationDisabled: false,
  IntegrationNotConfigured: false,
  IntegrationAuthError: false,
  IntegrationRateLimited: true,
  IntegrationTemporaryError: true,
  IntegrationPermanentError: false,
  IntegrationTimeoutError: true,
  CircuitOpenError: true,
};

/** The `outcome` label of metrics and logs: low-cardinality and stable. */
export type Outcome =
  | 'success'
  | 'error'
  | 'invalid_input'
  | 'disabled'
  | 'not_configured'
  | 'auth_error'
  | 'rate_limited'
  | 'temporary_error'
  | 'permanent_error'
  | 'timeout'
  | 'circuit_open'
  | 'aborted';

export const OUTCOME_BY_TYPE: Record<ErrorType, Outcome> = {
  IntegrationError: 'error',
  IntegrationValidationError: 'invalid_input',
  IntegrationDisabled: 'disabled',
  IntegrationNotConfigured: 'not_configured',
  IntegrationAuthError: 'auth_error',
  IntegrationRateLimited: 'rate_limited',
  IntegrationTemporaryError: 'temporary_error',
  IntegrationPermanentError: 'permanent_error',
  IntegrationTimeoutError: 'timeout',
  CircuitOpenError: 'circuit_open',
};

/**
 * Finer, stable codes for the cause of an error (undici style), so callers and dashboards can
 * tell a connect timeout from a body stall without parsing messages.
 */
export type ErrorCode =
  | 'HTTP_STATUS'
  | 'CONNECT_TIMEOUT'
  | 'HEADERS_TIMEOUT'
  | 'BODY_TIMEOUT'
  | 'ATTEMPT_TIMEOUT'
  | 'DEADLINE_EXCEEDED'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'DNS_FAILURE'
  | 'SOCKET_ERROR'
  | 'RESPONSE_TOO_LARGE'
  | 'INVALID_RESPONSE'
  | 'TOO_MANY_REDIRECTS'
  | 'REDIRECT_NOT_FOLLOWED'
  | 'RETRY_AFTER_TOO_LONG'
  | 'RETRY_BUDGET_EXHAUSTED'
  | 'EGRESS_DENIED'
  | 'INVALID_REQUEST'
  | 'CIRCUIT_OPEN'
  | 'OAUTH_ERROR'
  | 'CREDENTIAL_EXPIRED'
  | 'RATE_LIMIT_WAIT_EXCEEDS_DEADLINE'
  | 'INVALID_INPUT'
  | 'INVALID_OUTPUT'
  | 'DISABLED'
  | 'NOT_CONFIGURED';
