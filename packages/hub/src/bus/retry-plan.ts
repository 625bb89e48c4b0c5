/** What the bus does with a failed attempt. */
export type RetryDecision =
  | {
      retry: true;
      /** The retry queue: the longest the command waits. */
      delayMs: number;
      /** The command's own TTL in that queue, jittered below `delayMs` (see {@link planRetry}). */
      waitMs: number;
      reason: 'backoff' | 'retry-after';
    }
  | {
      retry: false;
      reason: /** Permanent (bad input, auth, 4xx): running it again gives the same answer. */
        | 'not-retryable'
        /** A write the hub kept in its dead-letter queue: replay it from there, not from the bus. */
        | 'kept-for-replay'
        /** Every configured retry was spent: the command goes to the dead-letter exchange. */
        | 'attempts-exhausted'
        /** The upstream asked for a longer wait than the longest retry delay: the caller reschedules. */
        | 'wait-too-long';
    };

export interface FailedAttempt {
  /** 1 for the first run of the command. */
  attempt: number;
  retryable: boolean;
  /** The upstream's `Retry-After`, seconds. */
  retryAfter?: number | undefined;
  deadLetterId?: string | undefined;
}

/**
 * Decides whether a failed command is retried, and after how long.
 *
 * Only temporary failures of commands the hub did not keep are retried: a failed write is already
 * in the hub's dead-letter queue, replayable with its idempotency key, and a second retry path on
 * the bus would race that replay. (Short outages are retried inside each attempt by the client's
 * own retry policy; these bus retries span longer ones: an open breaker, an upstream restart.)
 *
 * `delaysMs[n - 1]` is the longest wait after attempt `n`, so there are `delaysMs.length + 1`
 * attempts. The wait itself is jittered between half of that and all of it, so commands that failed
 * together do not all come back together; a `Retry-After` is never undercut (the jitter starts at
 * it). A `Retry-After` longer than the delay picks the shortest configured delay that honours it;
 * when none does, the command fails at once with the upstream's time, so the agent can reschedule.
 *
 * Each delay is a queue whose queue-wide TTL is that delay; the jittered wait is the message's own
 * TTL there. A queue only expires messages from its head, so a command may wait behind one queued
 * earlier, but never past its queue's TTL: each one ahead of it leaves by then.
 */
export function planRetry(
  failed: FailedAttempt,
  delaysMs: readonly number[],
  random: () => number = Math.random,
): RetryDecision {
  if (!failed.retryable) return { retry: false, reason: 'not-retryable' };
  if (failed.deadLetterId !== undefined) return { retry: false, reason: 'kept-for-replay' };
  const backoff = delaysMs[failed.attempt - 1];
  if (backoff === undefined) return { retry: false, reason: 'attempts-exhausted' };
  const askedMs = failed.retryAfter === undefined ? 0 : failed.retryAfter * 1000;
  const jittered = (delayMs: number) => {
    const floor = Math.max(askedMs, delayMs / 2);
    return Math.round(floor + random() * (delayMs - floor));
  };
  if (askedMs <= backoff)
    return { retry: true, delayMs: backoff, waitMs: jittered(backoff), reason: 'backoff' };
  const honouring = [...delaysMs].sort((a, b) => a - b).find((delay) => delay >= askedMs);
  return honouring === undefined
    ? { retry: false, reason: 'wait-too-long' }
    : { retry: true, delayMs: honouring, waitMs: jittered(honouring), reason: 'retry-after' };
}
