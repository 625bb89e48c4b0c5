import type { Policy } from '../pipeline.js';
import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * The breaker as a pipeline stage. Put it outside retry: one call, with all its retries, is one
 * call to the breaker, and an open breaker answers before any attempt, auth or socket. A rejected
 * call throws `CircuitOpenError` carrying the call's integration, operation and `retryAfter`.
 * @example
 * const handler = circuitBreakerPolicy(breaker)(composePipeline(stages, transport));
 */
export function circuitBreakerPolicy(breaker: CircuitBreaker): Policy {
  return (next) => (req, call, signal) => breaker.execute(() => next(req, call, signal), call.signal, call);
}
