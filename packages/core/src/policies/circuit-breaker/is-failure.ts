import { isIntegrationError } from '../../errors/integration-error.js';
import type { CircuitBreakerConfig } from './options.js';

/**
 * The default answer to "does this error say the upstream is unwell?":
 *
 * - an HTTP status counts when it is in `failureStatusCodes` (by default 500, 502, 503, 504;
 *   so 4xx, auth errors (401/403) and rate limiting (429) do not);
 * - a timeout (`IntegrationTimeoutError`, or a `TimeoutError` from a plain function) counts when
 *   `countTimeoutsAsFailures`;
 * - a connection failure (an `IntegrationTemporaryError` with no status: refused, reset, DNS)
 *   counts;
 * - another breaker's `CircuitOpenError` does not (it never reached the upstream), nor does any
 *   other IntegrationError without a status (bad input, not configured, response too large);
 * - an error that is not an IntegrationError counts, so a breaker around any async function
 *   works, unless it is an abort (`AbortError`).
 *
 * Caller aborts are kept out before this runs (see `CircuitBreaker.execute`).
 */
export function defaultIsFailure(
  error: unknown,
  config: Pick<CircuitBreakerConfig, 'failureStatusCodes' | 'countTimeoutsAsFailures'> = {},
): boolean {
  const timeoutsCount = config.countTimeoutsAsFailures ?? true;
  if (!isIntegrationError(error)) {
    const name = (error as { name?: unknown } | null | undefined)?.name;
    if (name === 'AbortError') return false;
    if (name === 'TimeoutError') return timeoutsCount;
    return true;
  }
  switch (error.type) {
    case 'CircuitOpenError':
      return false;
    case 'IntegrationTimeoutError':
      return timeoutsCount;
  }
  if (error.status !== undefined) {
    return (config.failureStatusCodes ?? DEFAULT_FAILURE_STATUSES).includes(error.status);
  }
  return error.type === 'IntegrationTemporaryError';
}

const DEFAULT_FAILURE_STATUSES: readonly number[] = [500, 502, 503, 504];

/** True for an abort, whoever raised it: such a call tells nothing about the upstream. */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return (error as { name?: unknown } | null | undefined)?.name === 'AbortError';
}
