import type { Logger } from '@patchbay/core';
import type { ApprovalRepository, ApprovalStatus } from '../storage/index.js';

/** How an approval left `pending`, as the waiting call learns it. */
export interface Settlement {
  status: Exclude<ApprovalStatus, 'pending'>;
  reason: string | null;
  decidedBy: string | null;
}

export interface ApprovalWaitersOptions {
  /** How often the rows of waiting calls are read, ms. @default 250 */
  pollMs?: number;
  /** How often waiting calls mark their rows as still waited on, ms. @default 1000 */
  heartbeatMs?: number;
  now?: () => number;
  log?: Logger;
}

/**
 * The calls of this process waiting for decisions. A decision taken in this process settles its
 * waiter at once; one taken elsewhere (another hub process, the CLI) is found by the poll, which
 * reads the state of every waiting approval in one query, and which also writes their heartbeat
 * (so an admin is told when the call that asked is gone). The timer runs only while a call waits.
 */
export class ApprovalWaiters {
  private readonly waiters = new Map<string, (settlement: Settlement) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private lastBeat = 0;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly now: () => number;

  constructor(
    private readonly repository: ApprovalRepository,
    private readonly options: ApprovalWaitersOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Resolves when the approval leaves `pending` (never rejects); {@link drop} stops waiting. */
  wait(id: string): Promise<Settlement> {
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.timer ??= setInterval(() => void this.poll(), this.pollMs);
    });
  }

  /** Settles a waiter of this process; false when no call here waits on it. */
  settle(id: string, settlement: Settlement): boolean {
    const resolve = this.waiters.get(id);
    if (!resolve) return false;
    this.drop(id);
    resolve(settlement);
    return true;
  }

  /** Stops waiting on this approval (its call timed out or went away). */
  drop(id: string): void {
    this.waiters.delete(id);
    if (this.waiters.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get size(): number {
    return this.waiters.size;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.waiters.size === 0) return;
    this.polling = true;
    const ids = [...this.waiters.keys()];
    try {
      for (const state of await this.repository.states(ids)) {
        if (state.status === 'pending') continue;
        this.settle(state.id, { status: state.status, reason: state.reason, decidedBy: state.decidedBy });
      }
      const now = this.now();
      if (now - this.lastBeat >= this.heartbeatMs && this.waiters.size > 0) {
        this.lastBeat = now;
        await this.repository.touch([...this.waiters.keys()], now);
      }
    } catch (error) {
      // The next poll tries again; a call still ends at its deadline.
      this.options.log?.warn({ err: error, waiting: ids.length }, 'approvals: could not read decisions');
    } finally {
      this.polling = false;
    }
  }
}
