import { attachedResponse } from '../../errors/attached-response.js';
import { IntegrationRateLimited } from '../../errors/integration-error.js';
import type { ResponseHeaders } from '../../http/types.js';
import { MemoryStore } from '../../state/memory-store.js';
import type { BucketSpec, StateStore } from '../../state/state-store.js';
import { type Clock, systemClock } from '../clock.js';
import { backoffPauseMs, decidePause, type PauseDecision, tightestQuota } from './pause-decision.js';
import {
  type RateLimiterOptions,
  type ResolvedRateLimitOptions,
  resolveRateLimitOptions,
} from './rate-limit-options.js';
import type {
  AcquireContext,
  Acquired,
  ObservedError,
  RateLimiter,
  RateLimitSnapshot,
} from './rate-limiter.js';
import { readUpstreamSignal, type UpstreamSignal } from './upstream-signal.js';
import { type Ticket, WaitQueue } from './wait-queue.js';

type WaitReason = 'bucket' | 'paused';
interface Wait {
  waitMs: number;
  reason: WaitReason;
}
interface Waiter {
  deadlineAt: number;
  call: AcquireContext;
}

const GRANTED: Wait = { waitMs: 0, reason: 'bucket' };

/**
 * The {@link RateLimiter} behind `createRateLimiter`: a FIFO queue in this process in front of a
 * token bucket and a pause mark in the store.
 */
export class TokenBucketLimiter implements RateLimiter {
  readonly name: string;
  readonly key: string;
  readonly options: ResolvedRateLimitOptions;
  private readonly clock: Clock;
  private readonly store: StateStore;
  private readonly bucket: BucketSpec;
  // Separate keys, so no store has to keep two kinds of state under one name; deletePrefix(key) clears both.
  private readonly bucketKey: string;
  private readonly pauseKey: string;
  private readonly queue = new WaitQueue<Waiter>();
  /** What the front of the queue is sleeping on, for estimating the others' waits. */
  private front: { readyAt: number; reason: WaitReason } | undefined;
  private consecutive429 = 0;
  private lastPause: RateLimitSnapshot['lastPause'];
  private upstream: RateLimitSnapshot['upstream'];

  constructor(options: RateLimiterOptions) {
    this.name = options.name;
    this.options = resolveRateLimitOptions(options);
    this.clock = options.clock ?? systemClock;
    const clock = this.clock;
    this.store = options.store ?? new MemoryStore(() => clock.wallNow());
    this.key = options.key ?? `patchbay:${options.name}:default:rl`;
    this.bucketKey = `${this.key}:bucket`;
    this.pauseKey = `${this.key}:pause`;
    this.bucket = { capacity: this.options.burstSize, refillPerSecond: this.options.refillPerSecond };
  }

  async acquire(call: AcquireContext = {}): Promise<Acquired> {
    const { signal } = call;
    if (signal?.aborted) throw signal.reason;
    const started = this.clock.now();
    let known: Wait | undefined;
    // Nobody is waiting, so nobody can be overtaken: ask the store directly, concurrently.
    if (this.queue.length === 0) {
      known = await this.tryTake();
      if (known.waitMs === 0) return { waitedMs: 0 };
    }
    const deadlineAt = call.deadlineAt ?? Number.POSITIVE_INFINITY;
    const ticket = this.queue.join({ deadlineAt, call }, signal);
    try {
      if (!this.queue.isFront(ticket)) {
        known = undefined; // others were first; what the store said is stale by the time our turn comes
        const estimate = this.estimate(this.queue.length - 1); // joined at the back
        if (estimate >= deadlineAt - this.clock.now()) throw this.tooLong(call, estimate, 'bucket');
        await ticket.turn;
      }
      await this.waitAtFront(ticket, known);
      return { waitedMs: this.clock.now() - started };
    } finally {
      this.queue.leave(ticket);
    }
  }

  /** The front's loop: sleep exactly as long as the store says, then ask again. Never polls. */
  private async waitAtFront(ticket: Ticket<Waiter>, known: Wait | undefined): Promise<void> {
    const { call, deadlineAt } = ticket.value;
    let wait = known ?? (await this.tryTake());
    while (wait.waitMs > 0) {
      if (call.signal?.aborted) throw call.signal.reason;
      const now = this.clock.now();
      if (wait.waitMs >= deadlineAt - now) throw this.tooLong(call, wait.waitMs, wait.reason);
      this.front = { readyAt: now + wait.waitMs, reason: wait.reason };
      this.failHopeless();
      try {
        await this.clock.sleep(wait.waitMs, call.signal);
      } finally {
        this.front = undefined;
      }
      wait = await this.tryTake();
    }
  }

  /** One look at the store: a pause first (it overrides the bucket), then a token. */
  private async tryTake(): Promise<Wait> {
    const pausedUntil = await this.store.pausedUntil(this.pauseKey);
    if (pausedUntil > 0) {
      const left = pausedUntil - (await this.store.now());
      if (left > 0) return { waitMs: left, reason: 'paused' };
    }
    const taken = await this.store.takeTokens(this.bucketKey, this.bucket, 1);
    if (taken.granted) return GRANTED;
    return { waitMs: Math.max(1, Math.ceil(taken.waitMs)), reason: 'bucket' };
  }

  /**
   * The earliest the caller at `position` behind the front can get a token, from this process's
   * view alone (other processes only make it later), so failing on it is never premature. After a
   * pause (or when unknown) a full bucket may serve the first `burstSize` at once.
   */
  private estimate(position: number): number {
    const now = this.clock.now();
    const front = this.front;
    const frontLeft = front ? Math.max(0, front.readyAt - now) : 0;
    const tokensAhead =
      front?.reason === 'bucket' ? position : Math.max(0, position + 1 - this.options.burstSize);
    return frontLeft + tokensAhead * this.options.intervalMs;
  }

  /** Fails at once every waiter that cannot get a token before its deadline. */
  private failHopeless(): void {
    const now = this.clock.now();
    for (const [ticket, position] of this.queue.waiting()) {
      const { deadlineAt, call } = ticket.value;
      if (deadlineAt === Number.POSITIVE_INFINITY) continue;
      const estimate = this.estimate(position);
      if (estimate >= deadlineAt - now) {
        this.queue.fail(ticket, this.tooLong(call, estimate, this.front?.reason ?? 'bucket'));
      }
    }
  }

  private tooLong(call: AcquireContext, waitMs: number, reason: WaitReason): IntegrationRateLimited {
    const seconds = Math.ceil(waitMs / 1000);
    const why =
      reason === 'paused'
        ? 'the upstream paused every caller'
        : `limit ${this.options.maxRequests} per ${this.options.windowSeconds}s`;
    return new IntegrationRateLimited(
      `Rate limit of ${this.name}: next request allowed in ${seconds}s (${why}), after the call's deadline`,
      {
        integration: call.integration ?? this.name,
        operation: call.operation,
        retryAfter: seconds,
        retryAfterMs: waitMs,
        requestSent: false,
        code: 'RATE_LIMIT_WAIT_EXCEEDS_DEADLINE',
      },
    );
  }

  observe(headers: ResponseHeaders, status: number): Promise<PauseDecision | undefined> {
    return this.learn(readUpstreamSignal(headers, this.clock.wallNow()), status);
  }

  observeError(error: ObservedError): Promise<PauseDecision | undefined> {
    const response = attachedResponse(error);
    if (response) return this.observe(response.headers, response.status);
    const { status } = error;
    if (status === undefined) return Promise.resolve(undefined); // no response: nothing to learn
    return this.learn({ retryAfterMs: error.retryAfterMs, quotas: [] }, status);
  }

  private async learn(signal: UpstreamSignal, status: number): Promise<PauseDecision | undefined> {
    const wallNow = this.clock.wallNow();
    const tightest = tightestQuota(signal.quotas);
    if (tightest) this.upstream = { ...tightest, observedAt: wallNow };
    if (status === 429) this.consecutive429++;
    else if (status < 400) this.consecutive429 = 0;
    const backoffMs = backoffPauseMs({
      intervalMs: this.options.intervalMs,
      factor: this.options.backoffFactor,
      consecutive: status === 429 ? this.consecutive429 : 0,
      capMs: this.options.windowSeconds * 1000,
    });
    const decision = decidePause(
      signal,
      status,
      { respectRetryAfter: this.options.respectRetryAfter, backoffMs },
      wallNow,
    );
    if (!decision) return undefined;
    this.lastPause = { ...decision, at: wallNow };
    // On the store's clock, so processes with skewed clocks resume together.
    await this.store.pauseUntil(this.pauseKey, (await this.store.now()) + decision.pauseMs);
    return decision;
  }

  async snapshot(): Promise<RateLimitSnapshot> {
    const [peek, pausedUntil, storeNow] = await Promise.all([
      this.store.takeTokens(this.bucketKey, this.bucket, 0), // count 0: refill and read, take nothing
      this.store.pausedUntil(this.pauseKey),
      this.store.now(),
    ]);
    const pausedForMs = Math.max(0, pausedUntil - storeNow);
    return {
      name: this.name,
      capacity: this.bucket.capacity,
      refillPerSecond: this.bucket.refillPerSecond,
      tokens: peek.remaining,
      pausedUntil: pausedForMs > 0 ? pausedUntil : undefined,
      pausedForMs,
      waiting: this.queue.length,
      consecutiveRateLimited: this.consecutive429,
      lastPause: this.lastPause,
      upstream: this.upstream,
    };
  }
}
