import type { StateStore } from '../../state/state-store.js';
import type { Clock } from '../clock.js';
import {
  type Admission,
  type Admitted,
  type BreakerCore,
  type CallResult,
  type CircuitState,
  openOrHalfOpen,
  type StateChangeReason,
  type TransitionDetail,
  type TransitionListener,
} from './breaker-core.js';
import { type ResolvedBreakerConfig, shouldOpen } from './options.js';
import { SharedWindow } from './shared-window.js';
import {
  type BreakerKeys,
  decodeRecord,
  encodeRecord,
  INITIAL_RECORD,
  nextRecord,
  type SharedRecord,
} from './store-record.js';

export interface StoreCoreDeps {
  store: StateStore;
  keys: BreakerKeys;
  config: ResolvedBreakerConfig;
  clock: Clock;
  notify: TransitionListener;
  /** Told when the store fails; the breaker then lets calls through rather than fail them. */
  onStoreError: (error: unknown, during: string) => void;
}

/** How often the offset between this process's wall clock and the store's is re-measured. */
const SKEW_REFRESH_MS = 5 * 60_000;
const CAS_ATTEMPTS = 5;
/** Admitted while the store is unreachable: goes through, is never counted (gen -1). */
const UNTRACKED: Admission = { kind: 'call', gen: -1 };

/**
 * The shared strategy: the breaker lives in a StateStore (keys and record in store-record.ts,
 * window in shared-window.ts), so processes on one Redis act as one breaker. While closed and
 * the cached view is fresh, a call costs no I/O: the record is re-read at most every
 * `syncIntervalMs` (so another process's open is seen within that), successes are batched.
 * Transitions are compare-and-set on the record; half-open probes take leases with
 * `acquireLock`. A store that fails never fails a call: calls go through, uncounted, until it
 * answers again.
 */
export class StoreBreakerCore implements BreakerCore {
  private record: SharedRecord = INITIAL_RECORD;
  /** Monotonic time of the last read of the record; -Infinity forces a read. */
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private skew = 0;
  private skewAt = Number.NEGATIVE_INFINITY;
  private reported: CircuitState = 'closed';
  private reportedGen = 0;
  private admitCall: Extract<Admission, { kind: 'call' }> = { kind: 'call', gen: 0 };
  /** All probe leases of generation `busyGen` were taken; don't ask again before `busyUntil`. */
  private busyGen = -1;
  private busyUntil = 0;
  private readonly window: SharedWindow;

  constructor(private readonly deps: StoreCoreDeps) {
    this.window = new SharedWindow({
      store: deps.store,
      keys: deps.keys,
      windowMs: deps.config.windowMs,
      flushIntervalMs: deps.config.syncIntervalMs,
      now: () => deps.clock.now(),
      onStoreError: deps.onStoreError,
    });
  }

  get state(): CircuitState {
    if (this.record.phase === 'closed') return 'closed';
    return openOrHalfOpen(this.record.openedAt, this.deps.config.recoveryTimeout, this.storeNow());
  }

  async refreshState(): Promise<CircuitState> {
    await this.sync();
    return this.state;
  }

  admit(): Admission | Promise<Admission> {
    if (this.deps.clock.now() - this.fetchedAt >= this.deps.config.syncIntervalMs) {
      return this.sync().then(() => this.decide());
    }
    return this.decide();
  }

  settle(admission: Admitted, result: CallResult): undefined | Promise<void> {
    if (admission.kind === 'probe') return this.settleProbe(admission, result);
    const record = this.record;
    if (result === 'abandoned' || admission.gen !== record.gen || record.phase !== 'closed') return undefined;
    if (result === 'failure') return this.recordFailure(admission.gen);
    this.window.success(admission.gen, this.storeNow());
    return undefined;
  }

  async reset(): Promise<void> {
    await this.transition(nextRecord.reset, 'reset', {});
  }

  private decide(): Admission | Promise<Admission> {
    const record = this.record;
    if (record.phase === 'closed') return this.admitCall;
    const now = this.storeNow();
    const probeAt = record.openedAt + this.deps.config.recoveryTimeout;
    if (now < probeAt) return { kind: 'rejected', state: 'open', retryAfterMs: probeAt - now };
    if (this.busyGen === record.gen && this.deps.clock.now() < this.busyUntil) return this.busy();
    return this.acquireProbe(record.gen);
  }

  private async acquireProbe(gen: number): Promise<Admission> {
    const { store, keys, config } = this.deps;
    try {
      for (let lease = 0; lease < config.halfOpenMaxProbes; lease++) {
        const token = await store.acquireLock(keys.probe(gen, lease), config.recoveryTimeout);
        if (token !== undefined) {
          this.report('half_open', 'recovery_timeout', {}, gen);
          return { kind: 'probe', gen, lease, token };
        }
      }
    } catch (error) {
      this.deps.onStoreError(error, 'taking a probe lease');
      return UNTRACKED;
    }
    this.busyGen = gen;
    this.busyUntil = this.deps.clock.now() + config.syncIntervalMs;
    return this.busy();
  }

  /** Probes are busy elsewhere; a lease ends at the latest `recoveryTimeout` after it was taken. */
  private busy(): Admission {
    return { kind: 'rejected', state: 'half_open', retryAfterMs: this.deps.config.recoveryTimeout };
  }

  private async settleProbe(probe: Extract<Admitted, { kind: 'probe' }>, result: CallResult): Promise<void> {
    const { store, keys, config } = this.deps;
    try {
      if (result === 'failure') {
        await this.transition(
          (record) => nextRecord.open(record, 'open', probe.gen, this.storeNow()),
          'probe_failed',
          { retryAfterMs: config.recoveryTimeout },
        );
      } else if (result === 'success') {
        await this.transition(
          (record) => nextRecord.probeSucceeded(record, probe.gen, config.successThreshold),
          'probes_succeeded',
          {},
        );
      }
      await store.releaseLock(keys.probe(probe.gen, probe.lease), probe.token);
      this.busyGen = -1;
    } catch (error) {
      this.deps.onStoreError(error, 'settling a probe');
    }
  }

  private async recordFailure(gen: number): Promise<void> {
    const { config } = this.deps;
    try {
      const { calls, failures } = await this.window.failure(gen, this.storeNow());
      if (!shouldOpen(failures, calls, config)) return;
      await this.transition(
        (record) => nextRecord.open(record, 'closed', gen, this.storeNow()),
        'failure_threshold',
        { failures, calls, retryAfterMs: config.recoveryTimeout },
      );
    } catch (error) {
      this.deps.onStoreError(error, 'recording a failure');
    }
  }

  /** Read-modify-compareAndSet until it sticks; `mutate` returns undefined when there is nothing to do. */
  private async transition(
    mutate: (record: SharedRecord) => SharedRecord | undefined,
    reason: StateChangeReason,
    detail: TransitionDetail,
  ): Promise<void> {
    const { store, keys } = this.deps;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await store.getVersioned(keys.state);
      const record = decodeRecord(current?.value);
      const next = mutate(record);
      if (next === undefined) return this.adopt(record, 'shared', {});
      const written = await store.compareAndSet(keys.state, encodeRecord(next), current?.version ?? null);
      if (written.ok) return this.adopt(next, reason, detail);
    }
    // Lost every race: others are changing it right now. The next call re-reads what won.
    this.fetchedAt = Number.NEGATIVE_INFINITY;
  }

  private sync(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const { store, keys, clock } = this.deps;
    try {
      const skewDue = clock.now() - this.skewAt >= SKEW_REFRESH_MS;
      const [current, storeTime] = await Promise.all([
        store.getVersioned(keys.state),
        skewDue ? store.now() : undefined,
      ]);
      if (storeTime !== undefined) {
        this.skew = storeTime - clock.wallNow();
        this.skewAt = clock.now();
      }
      this.adopt(decodeRecord(current?.value), 'shared', {});
    } catch (error) {
      // Keep the last view, and ask again after an interval rather than on every call.
      this.fetchedAt = clock.now();
      this.deps.onStoreError(error, 'reading the breaker state');
    }
  }

  private adopt(record: SharedRecord, reason: StateChangeReason, detail: TransitionDetail): void {
    this.fetchedAt = this.deps.clock.now();
    // Generations only grow: a read that started before our own write must not undo it.
    if (record.gen < this.record.gen) return;
    this.record = record;
    if (this.admitCall.gen !== record.gen) this.admitCall = { kind: 'call', gen: record.gen };
    this.report(record.phase, reason, detail, record.gen);
  }

  private report(to: CircuitState, reason: StateChangeReason, detail: TransitionDetail, gen: number): void {
    // Seeing the same open phase again after probing it is not a change back to open.
    if (to === 'open' && this.reported === 'half_open' && gen === this.reportedGen) return;
    const from = this.reported;
    this.reported = to;
    this.reportedGen = gen;
    if (from !== to) this.deps.notify(from, to, reason, detail);
  }

  /** The store's clock, estimated locally: wall clock plus the measured offset. */
  private storeNow(): number {
    return this.deps.clock.wallNow() + this.skew;
  }
}
