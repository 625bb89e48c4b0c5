export {
  backoffPauseMs,
  decidePause,
  type PauseDecision,
  type PauseReason,
  tightestQuota,
} from './pause-decision.js';
export {
  type RateLimiterOptions,
  type RateLimitOptions,
  type ResolvedRateLimitOptions,
  resolveRateLimitOptions,
} from './rate-limit-options.js';
export { rateLimitAcquirePolicy, rateLimitObservePolicy, rateLimitPolicy } from './rate-limit-policy.js';
export {
  type AcquireContext,
  type Acquired,
  createRateLimiter,
  type ObservedError,
  type RateLimiter,
  type RateLimitSnapshot,
} from './rate-limiter.js';
export { MAX_RESET_HORIZON_MS, parseResetTime, type ResetFormat, type ResetTime } from './reset-time.js';
export {
  type QuotaReading,
  type QuotaSource,
  readUpstreamSignal,
  type UpstreamSignal,
} from './upstream-signal.js';
