/**
 * Seed 001's `CircuitBreakerConfig` in camelCase and milliseconds, plus the knobs DESIGN.md asks
 * for (a minimum number of calls, a time window, bounded half-open probes).
 *
 * The breaker opens when, within the last `windowMs`, at least `minimumCalls` calls were made, at
 * least `failureThreshold` of them failed, and failures are at least `failureRateThreshold` of
 * them. The rate rule keeps five failures among ten thousand calls from taking a healthy upstream
 * offline for a minute; the minimum keeps one unlucky call on a quiet client from doing the same.
 *
 * @example
 * createCircuitBreaker({ name: 'payments', failureThreshold: 10, recoveryTimeout: 30_000 });
 */
export interface CircuitBreakerConfig {
  /**
   * Failed calls within the window that open the breaker (together with the two rules below).
   * @default 5
   */
  failureThreshold?: number;
  /**
   * Share of the window's calls (0 to 1) that must have failed. `0` leaves only the count rule.
   * @default 0.5
   */
  failureRateThreshold?: number;
  /**
   * Calls the window must hold before the breaker may open. With the defaults a dead upstream
   * opens the breaker at the 10th call of a minute; set it to `failureThreshold` for the seed's
   * "open after 5 failures".
   * @default 10
   */
  minimumCalls?: number;
  /**
   * How far back calls are counted, in ms. Counts live in 10 time slots of `windowMs / 10`, so
   * failures leave the window in steps of a tenth of it.
   * @default 60000
   */
  windowMs?: number;
  /**
   * How long the breaker stays open before it lets a probe through, in ms. Also the longest a
   * probe may hang before another probe is allowed, so the breaker never sticks half-open.
   * @default 60000
   */
  recoveryTimeout?: number;
  /**
   * Successful probes, one after another, that close the breaker.
   * @default 2
   */
  successThreshold?: number;
  /**
   * Probes allowed at once while half-open; every other call fails at once with
   * `CircuitOpenError` instead of queueing behind a probe.
   * @default 1
   */
  halfOpenMaxProbes?: number;
  /**
   * Upstream HTTP statuses that count as failures. 429 is left out on purpose: rate limiting
   * is the rate limiter's business, and the upstream is alive enough to say so.
   * @default [500, 502, 503, 504]
   */
  failureStatusCodes?: readonly number[];
  /** @default true */
  countTimeoutsAsFailures?: boolean;
  /**
   * Which errors count as failures; replaces the default rule (see {@link defaultIsFailure},
   * which this may call). A caller's abort never counts, whatever this says. An error that is
   * not a failure counts as a success: the upstream answered.
   * @example
   * isFailure: (error) => defaultIsFailure(error, config) || isErrorType(error, 'IntegrationPermanentError')
   */
  isFailure?: (error: unknown) => boolean;
  /**
   * With a shared store (Redis): how stale this process's view of the shared state may get, in
   * ms, and how often its successes are written out. `0` reads the store before every call.
   * @default 1000
   */
  syncIntervalMs?: number;
}

export type ResolvedBreakerConfig = Required<Omit<CircuitBreakerConfig, 'isFailure'>> &
  Pick<CircuitBreakerConfig, 'isFailure'>;

export const CIRCUIT_BREAKER_DEFAULTS: ResolvedBreakerConfig = {
  failureThreshold: 5,
  failureRateThreshold: 0.5,
  minimumCalls: 10,
  windowMs: 60_000,
  recoveryTimeout: 60_000,
  successThreshold: 2,
  halfOpenMaxProbes: 1,
  failureStatusCodes: [500, 502, 503, 504],
  countTimeoutsAsFailures: true,
  syncIntervalMs: 1_000,
};

const CONFIG_KEYS: readonly (keyof CircuitBreakerConfig)[] = [
  ...(Object.keys(CIRCUIT_BREAKER_DEFAULTS) as (keyof ResolvedBreakerConfig)[]),
  'isFailure',
];

/** Merges options over the defaults and checks them, naming the field that is wrong. */
export function resolveBreakerConfig(config: CircuitBreakerConfig = {}): ResolvedBreakerConfig {
  const merged: ResolvedBreakerConfig = { ...CIRCUIT_BREAKER_DEFAULTS };
  // Only the config's own fields: callers pass wider objects (a breaker's name, store, logger).
  for (const key of CONFIG_KEYS) {
    const value = config[key];
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  positiveInteger('failureThreshold', merged.failureThreshold);
  positiveInteger('successThreshold', merged.successThreshold);
  positiveInteger('halfOpenMaxProbes', merged.halfOpenMaxProbes);
  if (!Number.isInteger(merged.minimumCalls) || merged.minimumCalls < 0) {
    throw new TypeError(`circuitBreaker.minimumCalls must be an integer >= 0, got ${merged.minimumCalls}`);
  }
  const rate = merged.failureRateThreshold;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new TypeError(`circuitBreaker.failureRateThreshold must be between 0 and 1, got ${rate}`);
  }
  positive('windowMs', merged.windowMs);
  positive('recoveryTimeout', merged.recoveryTimeout);
  if (typeof merged.syncIntervalMs !== 'number' || !(merged.syncIntervalMs >= 0)) {
    throw new TypeError(`circuitBreaker.syncIntervalMs must be a number >= 0, got ${merged.syncIntervalMs}`);
  }
  if (!Array.isArray(merged.failureStatusCodes) || !merged.failureStatusCodes.every(Number.isInteger)) {
    throw new TypeError('circuitBreaker.failureStatusCodes must be an array of integer HTTP statuses');
  }
  if (merged.isFailure !== undefined && typeof merged.isFailure !== 'function') {
    throw new TypeError('circuitBreaker.isFailure must be a function');
  }
  return merged;
}

/** The trip rule, shared by both strategies so they cannot drift apart. */
export function shouldOpen(failures: number, calls: number, config: ResolvedBreakerConfig): boolean {
  return (
    failures >= config.failureThreshold &&
    calls >= config.minimumCalls &&
    failures >= config.failureRateThreshold * calls
  );
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`circuitBreaker.${name} must be an integer >= 1, got ${value}`);
  }
}

function positive(name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`circuitBreaker.${name} must be a finite number > 0, got ${value}`);
  }
}
