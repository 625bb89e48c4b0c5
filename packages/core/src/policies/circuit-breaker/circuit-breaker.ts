import { CircuitOpenError } from '../../errors/integration-error.js';
import type { StateStore } from '../../state/state-store.js';
import type { Logger } from '../../telemetry/logger.js';
import { type Clock, systemClock } from '../clock.js';
import type {
  Admission,
  BreakerCore,
  CircuitState,
  StateChangeReason,
  TransitionDetail,
  TransitionListener,
} from './breaker-core.js';
import { defaultIsFailure, isAbort } from './is-failure.js';
import { MemoryBreakerCore } from './memory-core.js';
import { type CircuitBreakerConfig, type ResolvedBreakerConfig, resolveBreakerConfig } from './options.js';
import { StoreBreakerCore } from './store-core.js';
import { breakerKeys } from './store-record.js';
import { logTransition } from './transition-log.js';

/** Everything {@link createCircuitBreaker} takes: the config plus where the state lives and who hears about it. */
export interface CircuitBreakerOptions extends CircuitBreakerConfig {
  /** Names the breaker in logs, errors (`integration`) and store keys; usually the integration's name. */
  name: string;
  /**
   * Where the state lives. A RedisStore makes every process with the same `name` share one
   * breaker. Without one, or with a MemoryStore, the state stays in this object (the fast path).
   */
  store?: StateStore;
  /**
   * Store keys start with this.
   * @default `patchbay:${name}:breaker:`
   */
  keyPrefix?: string;
  /** @default systemClock */
  clock?: Clock;
  /** Transitions are logged here: `warn` when the breaker opens, `info` otherwise. */
  logger?: Logger;
  /**
   * Told about every transition this process sees, e.g. to count opens in metrics. A listener
   * that throws is logged and otherwise ignored.
   * @example
   * onStateChange: (from, to, reason) => metrics.recordBreakerTransition(to, reason)
   */
  onStateChange?: TransitionListener;
  /**
   * Drive the store protocol even when `store` is a MemoryStore, instead of the in-process fast
   * path. For tests of the shared protocol without Redis.
   * @default false
   */
  forceStoreProtocol?: boolean;
}

/** What the call was, for the `CircuitOpenError` a rejected call gets. */
export interface BreakerCallContext {
  integration?: string;
  operation?: string;
}

/**
 * A circuit breaker around any async function (seed 001's manual `CircuitBreaker`), and the
 * engine of {@link circuitBreakerPolicy}. Create it with {@link createCircuitBreaker}.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly config: ResolvedBreakerConfig;
  private readonly core: BreakerCore;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly log: Logger | undefined;
  private readonly listener: TransitionListener | undefined;
  private openCount = 0;
  private lastStoreWarning = Number.NEGATIVE_INFINITY;

  constructor(options: CircuitBreakerOptions) {
    if (typeof options.name !== 'string' || options.name === '') {
      throw new TypeError('circuitBreaker.name must be a non-empty string');
    }
    this.name = options.name;
    this.config = resolveBreakerConfig(options);
    const config = this.config;
    this.isFailure = config.isFailure ?? ((error) => defaultIsFailure(error, config));
    this.log = options.logger;
    this.listener = options.onStateChange;
    const clock = options.clock ?? systemClock;
    const notify: TransitionListener = (from, to, reason, detail) =>
      this.transitioned(from, to, reason, detail);
    const shared = options.store && (options.store.kind !== 'memory' || options.forceStoreProtocol);
    this.core =
      shared && options.store
        ? new StoreBreakerCore({
            store: options.store,
            keys: breakerKeys(options.keyPrefix ?? `patchbay:${options.name}:breaker:`),
            config,
            clock,
            notify,
            onStoreError: (error, during) => this.storeTrouble(error, during, clock),
          })
        : new MemoryBreakerCore(config, clock, notify);
  }

  /** The state as this process knows it, without I/O (with a shared store, at most `syncIntervalMs` old). */
  get state(): CircuitState {
    return this.core.state;
  }

  /** The state, read from the shared store first when there is one. */
  getState(): Promise<CircuitState> {
    return this.core.refreshState();
  }

  /** Times this process saw the breaker open (including re-opens after a failed probe). */
  get opens(): number {
    return this.openCount;
  }

  /**
   * Runs `fn` if the breaker lets it, and counts how it ended. When open (or half-open with its
   * probes busy) it throws `CircuitOpenError` at once, `fn` is not called, and `retryAfter` says
   * when a probe may go. A caller's abort neither counts nor blocks the next probe.
   * @example
   * const charge = await breaker.execute((signal) => payments.post('/charges', { json, signal }), signal);
   */
  async execute<T>(
    fn: (signal: AbortSignal | undefined) => Promise<T> | T,
    signal?: AbortSignal,
    context?: BreakerCallContext,
  ): Promise<T> {
    if (signal?.aborted) throw signal.reason;
    let admission = this.core.admit();
    if (admission instanceof Promise) admission = await admission;
    if (admission.kind === 'rejected') throw this.openError(admission, context);
    let value: T;
    try {
      value = await fn(signal);
    } catch (error) {
      const result = isAbort(error, signal) ? 'abandoned' : this.isFailure(error) ? 'failure' : 'success';
      const settled = this.core.settle(admission, result);
      if (settled) await settled;
      throw error;
    }
    const settled = this.core.settle(admission, 'success');
    if (settled) await settled;
    return value;
  }

  /** Closes the breaker and forgets the window (for every process, with a shared store). */
  async reset(): Promise<void> {
    await this.core.reset();
  }

  private openError(rejected: Extract<Admission, { kind: 'rejected' }>, context?: BreakerCallContext) {
    const waitMs = Math.max(0, Math.ceil(rejected.retryAfterMs));
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const why = rejected.state === 'open' ? 'open' : 'half-open and its probes are busy';
    return new CircuitOpenError(
      `Circuit breaker ${this.name} is ${why}: call not sent; next probe in ${seconds}s`,
      {
        integration: context?.integration ?? this.name,
        operation: context?.operation,
        retryAfter: seconds,
        retryAfterMs: waitMs,
        requestSent: false,
        code: 'CIRCUIT_OPEN',
      },
    );
  }

  private transitioned(
    from: CircuitState,
    to: CircuitState,
    reason: StateChangeReason,
    detail: TransitionDetail,
  ): void {
    if (to === 'open') this.openCount++;
    if (this.log) logTransition(this.log, this.name, from, to, reason, detail);
    try {
      this.listener?.(from, to, reason, detail);
    } catch (error) {
      const kind = String((error as { name?: unknown } | undefined)?.name ?? 'error');
      this.log?.error({ breaker: this.name, error: kind }, 'onStateChange listener threw');
    }
  }

  /** Logged at most once per 30 s: a dead Redis must not flood the log from every call. */
  private storeTrouble(error: unknown, during: string, clock: Clock): void {
    const now = clock.now();
    if (now - this.lastStoreWarning < 30_000) return;
    this.lastStoreWarning = now;
    // The code or class only: a store's message may quote its URL.
    const what = (error as { code?: unknown; name?: unknown } | undefined) ?? {};
    const kind = String(what.code ?? what.name ?? 'error');
    this.log?.warn(
      { breaker: this.name, during, error: kind },
      `Circuit breaker ${this.name}: store failed while ${during} (${kind}); letting calls through`,
    );
  }
}

/**
 * Creates a circuit breaker.
 * @example
 * const breaker = createCircuitBreaker({ name: 'payments', failureThreshold: 5, store: redis });
 * const result = await breaker.execute(() => chargeCard(order), signal);
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  return new CircuitBreaker(options);
}
