// @patchbay/core: the client kernel. Every export is named here on purpose.

export type { AuthConfig } from './auth/auth-config.js';
export { authFromConfig } from './auth/auth-config.js';
export type { AuthStrategy } from './auth/auth-strategy.js';
export type {
  HmacAlgorithm,
  HmacEncoding,
  HmacInput,
  HmacPart,
  HmacScheme,
} from './auth/hmac/hmac-scheme.js';
export { computeHmacSignature } from './auth/hmac/hmac-scheme.js';
export type { HmacSigner, HmacSignerOptions } from './auth/hmac/hmac-signer.js';
export { hmacSigner } from './auth/hmac/hmac-signer.js';
export type { HmacRejection, HmacVerification, VerifyHmacOptions } from './auth/hmac/verify-hmac.js';
export { verifyHmacSignature } from './auth/hmac/verify-hmac.js';
export type { ClientCredentialsOptions } from './auth/oauth2/client-credentials.js';
export { oauth2ClientCredentials } from './auth/oauth2/client-credentials.js';
export type { OAuth2CommonOptions } from './auth/oauth2/oauth2-options.js';
export type { OAuth2Status, OAuth2Strategy } from './auth/oauth2/oauth2-strategy.js';
export type { RefreshTokenOptions } from './auth/oauth2/refresh-token.js';
export { oauth2RefreshToken } from './auth/oauth2/refresh-token.js';
export type { ClientAuthMethod } from './auth/oauth2/token-endpoint.js';
export { TERMINAL_OAUTH_ERRORS } from './auth/oauth2/token-errors.js';
export type { CredentialHealth } from './auth/oauth2/token-record.js';
export type { ApiKeyOptions, CustomAuthOptions, KeyLocation } from './auth/static-auth.js';
export { apiKey, basic, bearer, customAuth, noAuth } from './auth/static-auth.js';
export type { Client, ClientStatus, RequestOptions } from './client/client.js';
export type { ClientOptions } from './client/client-options.js';
export { createClient } from './client/create-client.js';
export type { DryRunRequest } from './client/dry-run.js';
export { DryRunStop } from './client/dry-run.js';
export type { ErrorCode, ErrorType, Outcome } from './errors/error-types.js';
export { HTTP_STATUS_BY_TYPE, OUTCOME_BY_TYPE, RETRYABLE_BY_TYPE } from './errors/error-types.js';
export type {
  FieldIssue,
  IntegrationErrorDetails,
  IntegrationErrorJson,
} from './errors/integration-error.js';
export {
  CircuitOpenError,
  IntegrationAuthError,
  IntegrationDisabled,
  IntegrationError,
  IntegrationNotConfigured,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  IntegrationTimeoutError,
  IntegrationValidationError,
  integrationErrorDetails,
  isErrorType,
  isIntegrationError,
  rewordError,
} from './errors/integration-error.js';
export type { EgressOptions } from './http/egress.js';
export { EgressPolicy, isNonPublicAddress } from './http/egress.js';
export type { ApiResponse, HttpMethod, Params, PreparedRequest, ResponseHeaders } from './http/types.js';
export type {
  AnyOperation,
  CacheSpec,
  IntegrationClientOptions,
  IntegrationDefinition,
  IntegrationPolicies,
  OperationContext,
  OperationDefinition,
  OperationInput,
  OperationKind,
  OperationOutput,
} from './integration/define.js';
export { defineIntegration, defineOperation } from './integration/define.js';
export type {
  CallOptions,
  CreateIntegrationOptions,
  DryRunResult,
  Integration,
  IntegrationHealth,
  IntegrationStatus,
} from './integration/integration.js';
export { createIntegration } from './integration/integration.js';
export { ReadCache } from './integration/read-cache.js';
export type { IntegrationFactory } from './integration/registry.js';
export { IntegrationRegistry } from './integration/registry.js';
export type { ConfigResolution, ConfigSources } from './integration/resolve-config.js';
export { resolveIntegrationConfig } from './integration/resolve-config.js';
export { isSecretSchema, secret, secretFields, secretRegistry } from './integration/secret.js';
export type { BackoffOptions, BackoffStrategy, Jitter } from './policies/backoff.js';
export { backoffDelay, baseDelay } from './policies/backoff.js';
export type {
  BreakerCallContext,
  CircuitBreakerConfig,
  CircuitBreakerOptions,
  CircuitState,
  StateChangeReason,
  TransitionListener,
} from './policies/circuit-breaker/index.js';
export {
  CircuitBreaker,
  circuitBreakerPolicy,
  createCircuitBreaker,
  defaultIsFailure,
} from './policies/circuit-breaker/index.js';
export type { Clock } from './policies/clock.js';
export { abortableSleep, systemClock } from './policies/clock.js';
export type {
  PauseDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitOptions,
  RateLimitSnapshot,
} from './policies/rate-limit/index.js';
export {
  createRateLimiter,
  parseResetTime,
  rateLimitPolicy,
  readUpstreamSignal,
} from './policies/rate-limit/index.js';
export type { NoRetryReason } from './policies/retry.js';
export { parseHttpDate, parseRetryAfter } from './policies/retry-after.js';
export type { RetryBudgetOptions } from './policies/retry-budget.js';
export { RetryBudget } from './policies/retry-budget.js';
export type { RetryOptions } from './policies/retry-options.js';
export { RETRY_DEFAULTS } from './policies/retry-options.js';
export type { RedactorOptions } from './redact/redactor.js';
export { REDACTED, Redactor, SENSITIVE_HEADERS, SENSITIVE_PARAMS } from './redact/redactor.js';
export { MemoryStore } from './state/memory-store.js';
export { RedisStore, type RedisStoreOptions } from './state/redis-store.js';
export type { BucketSpec, CasResult, StateStore, TakeResult, Versioned } from './state/state-store.js';
export type { ClientMetricsSnapshot } from './telemetry/client-metrics.js';
export { LatencyHistogram } from './telemetry/latency-histogram.js';
export type { Logger } from './telemetry/logger.js';
export { integrationLogger, rootLogger } from './telemetry/logger.js';
