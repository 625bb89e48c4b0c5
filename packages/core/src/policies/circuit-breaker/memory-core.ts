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
import { SlotWindow } from './slot-window.js';

/**
 * The in-process strategy: every decision is a few field reads on the monotonic clock, with no
 * promise and, while closed, no allocation. Used when there is no store or the store is a
 * MemoryStore (one process: nothing to share).
 *
 * Half-open is not stored: it is "open, and `recoveryTimeout` has passed". Probes hold leases
 * that end when the probe settles or `recoveryTimeout` after it started, whichever is first, so
 * a hanging probe blocks others for one interval at most.
 */
export class MemoryBreakerCore implements BreakerCore {
  private phase: 'closed' | 'open' = 'closed';
  /** Bumped on every open and close, so a late result of an earlier phase is ignored. */
  private gen = 0;
  private openedAt = 0;
  private probeSuccesses = 0;
  private reported: CircuitState = 'closed';
  private admitCall: Extract<Admission, { kind: 'call' }> = { kind: 'call', gen: 0 };
  private readonly window: SlotWindow;
  private readonly leaseEnds: Float64Array;
  private readonly leaseTokens: string[];
  private nextToken = 0;

  constructor(
    private readonly config: ResolvedBreakerConfig,
    private readonly clock: Clock,
    private readonly notify: TransitionListener,
  ) {
    this.window = new SlotWindow(config.windowMs);
    this.leaseEnds = new Float64Array(config.halfOpenMaxProbes);
    this.leaseTokens = new Array<string>(config.halfOpenMaxProbes).fill('');
  }

  get state(): CircuitState {
    if (this.phase === 'closed') return 'closed';
    return openOrHalfOpen(this.openedAt, this.config.recoveryTimeout, this.clock.now());
  }

  refreshState(): Promise<CircuitState> {
    return Promise.resolve(this.state);
  }

  admit(): Admission {
    if (this.phase === 'closed') return this.admitCall;
    const now = this.clock.now();
    const probeAt = this.openedAt + this.config.recoveryTimeout;
    if (now < probeAt) return { kind: 'rejected', state: 'open', retryAfterMs: probeAt - now };
    let soonest = Number.POSITIVE_INFINITY;
    for (let lease = 0; lease < this.leaseEnds.length; lease++) {
      const end = this.leaseEnds[lease]!;
      if (end <= now) {
        const token = String(++this.nextToken);
        this.leaseEnds[lease] = now + this.config.recoveryTimeout;
        this.leaseTokens[lease] = token;
        this.report('half_open', 'recovery_timeout', {});
        return { kind: 'probe', gen: this.gen, lease, token };
      }
      if (end < soonest) soonest = end;
    }
    return { kind: 'rejected', state: 'half_open', retryAfterMs: soonest - now };
  }

  settle(admission: Admitted, result: CallResult): undefined {
    if (admission.kind === 'probe' && this.leaseTokens[admission.lease] === admission.token) {
      this.leaseEnds[admission.lease] = 0;
      this.leaseTokens[admission.lease] = '';
    }
    if (admission.gen !== this.gen || result === 'abandoned') return;
    const now = this.clock.now();
    if (admission.kind === 'call') {
      this.window.record(now, result === 'failure');
      const { failures, calls } = this.window;
      if (result === 'failure' && shouldOpen(failures, calls, this.config)) {
        this.open(now, 'failure_threshold', { failures, calls });
      }
    } else if (result === 'failure') {
      this.open(now, 'probe_failed', {});
    } else if (++this.probeSuccesses >= this.config.successThreshold) {
      this.close('probes_succeeded');
    }
    return undefined;
  }

  reset(): undefined {
    this.close('reset');
    return undefined;
  }

  private open(now: number, reason: StateChangeReason, detail: TransitionDetail): void {
    this.phase = 'open';
    this.openedAt = now;
    this.newPhase();
    this.report('open', reason, { ...detail, retryAfterMs: this.config.recoveryTimeout });
  }

  private close(reason: StateChangeReason): void {
    this.phase = 'closed';
    this.newPhase();
    this.report('closed', reason, {});
  }

  private newPhase(): void {
    this.gen++;
    this.admitCall = { kind: 'call', gen: this.gen };
    this.probeSuccesses = 0;
    this.window.clear();
    this.leaseEnds.fill(0);
    this.leaseTokens.fill('');
  }

  private report(to: CircuitState, reason: StateChangeReason, detail: TransitionDetail): void {
    const from = this.reported;
    if (from === to) return;
    this.reported = to;
    this.notify(from, to, reason, detail);
  }
}
