/**
 * What a breaker is, seen from outside. Lower-case so it can be a metric label as it is.
 * Seed 001's CLOSED (calls pass, failures counted), OPEN (calls fail at once) and HALF_OPEN
 * (a bounded number of probes test whether the upstream recovered).
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Why the state changed; low-cardinality, for logs and metric labels. */
export type StateChangeReason =
  /** Enough calls in the window failed. */
  | 'failure_threshold'
  /** A half-open probe failed, so the breaker opened again. */
  | 'probe_failed'
  /** `recoveryTimeout` passed and a probe was let through. */
  | 'recovery_timeout'
  /** `successThreshold` probes succeeded. */
  | 'probes_succeeded'
  /** `breaker.reset()` was called. */
  | 'reset'
  /** Another process sharing the store made the change; this one noticed it. */
  | 'shared';

/** Numbers behind a transition, for the log line. */
export interface TransitionDetail {
  /** Failures and calls in the window when the breaker opened on `failure_threshold`. */
  failures?: number;
  calls?: number;
  /** Milliseconds until the next probe, when the breaker opened. */
  retryAfterMs?: number;
}

export type TransitionListener = (
  from: CircuitState,
  to: CircuitState,
  reason: StateChangeReason,
  detail: TransitionDetail,
) => void;

/** The answer to "may this call go?". `gen` ties a result to the phase that admitted it. */
export type Admission =
  | { readonly kind: 'call'; readonly gen: number }
  | { readonly kind: 'probe'; readonly gen: number; readonly lease: number; readonly token: string }
  | { readonly kind: 'rejected'; readonly state: 'open' | 'half_open'; readonly retryAfterMs: number };

export type Admitted = Exclude<Admission, { kind: 'rejected' }>;

/** How an admitted call ended, as far as the breaker cares. */
export type CallResult = 'success' | 'failure' | 'abandoned';

/**
 * A breaker strategy: where the state lives and how it is shared. `admit` and `settle` return
 * plain values when they can (the in-process strategy always does), so the hot path allocates
 * no promise of its own.
 */
export interface BreakerCore {
  admit(): Admission | Promise<Admission>;
  settle(admission: Admitted, result: CallResult): undefined | Promise<void>;
  /** The state as this process last knew it; no I/O. */
  readonly state: CircuitState;
  /** The state after reading the shared store, when there is one. */
  refreshState(): Promise<CircuitState>;
  reset(): undefined | Promise<void>;
}

/** The state a breaker in phase `open` since `openedAt` is in at `now`. */
export function openOrHalfOpen(openedAt: number, recoveryTimeout: number, now: number): CircuitState {
  return now < openedAt + recoveryTimeout ? 'open' : 'half_open';
}
