// @patchbay/core: the client kernel. Every export is named here on purpose.

export type { AuthConfig } from './auth/auth-config.js';
export { authFromConfig } from './auth/auth-config.js';
export type { AuthStrategy } from './auth/auth-strategy.js';
export type { ApiKeyOptions, CustomAuthOptions, KeyLocation } from './auth/static-auth.js';
export { apiKey, basic, bearer, customAuth, noAuth } from './auth/static-auth.js';
export type { Client, RequestOptions } from './client/client.js';
export type { ClientOptions } from './client/client-options.js';
export { createClient } from './client/create-client.js';
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
  isErrorType,
  isIntegrationError,
} from './errors/integration-error.js';
export type { ApiResponse, HttpMethod, Params, PreparedRequest, ResponseHeaders } from './http/types.js';
export type {
  AnyOperation,
  CacheSpec,
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
export type { Clock } from './policies/clock.js';
export { abortableSleep, systemClock } from './policies/clock.js';
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
