import type { QuotaReading, UpstreamSignal } from './upstream-signal.js';

/** Why the limiter paused every caller. */
export type PauseReason =
  /** The upstream sent `Retry-After` with a 429, 503 or 403. */
  | 'retry-after'
  /** A quota header said `remaining: 0` and when it resets. */
  | 'quota-exhausted'
  /** A 429 that did not say until when: our own backoff (refill interval × backoffFactor^n). */
  | 'backoff';

export interface PauseDecision {
  /** How long every caller of this integration and credential waits, from now. */
  pauseMs: number;
  reason: PauseReason;
}

/**
 * Statuses whose `Retry-After` means "you are limited". 503 is the RFC's other use of it; GitHub
 * answers its secondary rate limits with 403 and `Retry-After`. On a 2xx or 3xx the header is not
 * about limits, and a redirect's is about the redirect.
 */
const LIMITING_STATUSES = new Set([403, 429, 503]);

/**
 * Decides whether a response means "stop everyone until T", in this order:
 *
 * 1. `Retry-After` on a limiting status wins outright, shorter or longer than any quota header
 *    (the IETF RateLimit draft: Retry-After takes precedence). `Retry-After: 0` means no pause.
 * 2. Any quota with `remaining: 0` and a known reset pauses until the latest such reset (on any
 *    status: GitHub reports an exhausted primary limit as a 403, and a 200 with remaining 0 means
 *    the next call would be refused).
 * 3. A 429 with no usable time pauses for `backoffMs` (the caller grows it on consecutive 429s).
 *
 * With `respectRetryAfter: false` steps 1 and 2 are skipped: the upstream's times are not
 * trusted, and only our own backoff on a 429 applies. Pure; `undefined` means "no pause".
 */
export function decidePause(
  signal: UpstreamSignal,
  status: number,
  options: { respectRetryAfter: boolean; backoffMs: number },
  wallNow: number,
): PauseDecision | undefined {
  if (options.respectRetryAfter) {
    if (signal.retryAfterMs !== undefined && LIMITING_STATUSES.has(status)) {
      return signal.retryAfterMs > 0 ? { pauseMs: signal.retryAfterMs, reason: 'retry-after' } : undefined;
    }
    const exhaustedUntil = latestExhaustedReset(signal.quotas);
    if (exhaustedUntil !== undefined && exhaustedUntil > wallNow) {
      return { pauseMs: exhaustedUntil - wallNow, reason: 'quota-exhausted' };
    }
  }
  if (status === 429 && options.backoffMs > 0) return { pauseMs: options.backoffMs, reason: 'backoff' };
  return undefined;
}

/**
 * The seed's `backoffFactor`, made concrete: the n-th 429 in a row that named no time pauses for
 * one refill interval × factor^n, capped at one full window (after which any fixed-window quota
 * has certainly reset).
 * @example
 * backoffPauseMs({ intervalMs: 1000, factor: 1.5, consecutive: 2, capMs: 60_000 }) // 2250
 */
export function backoffPauseMs(options: {
  intervalMs: number;
  factor: number;
  consecutive: number;
  capMs: number;
}): number {
  const { intervalMs, factor, consecutive, capMs } = options;
  if (consecutive <= 0) return 0;
  return Math.min(capMs, Math.ceil(intervalMs * factor ** consecutive));
}

/** The reading a status page should show: the tightest quota (fewest remaining). */
export function tightestQuota(quotas: readonly QuotaReading[]): QuotaReading | undefined {
  let best: QuotaReading | undefined;
  for (const quota of quotas) {
    if (best === undefined) best = quota;
    else if ((quota.remaining ?? Number.POSITIVE_INFINITY) < (best.remaining ?? Number.POSITIVE_INFINITY)) {
      best = quota;
    }
  }
  return best;
}

/** The latest reset among quotas that say nothing is left, epoch ms; undefined when none is exhausted. */
export function latestExhaustedReset(quotas: readonly QuotaReading[]): number | undefined {
  let latest: number | undefined;
  for (const quota of quotas) {
    if (quota.remaining !== 0 || quota.resetAt === undefined) continue;
    if (latest === undefined || quota.resetAt > latest) latest = quota.resetAt;
  }
  return latest;
}
