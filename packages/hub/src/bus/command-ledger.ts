import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@patchbay/core';
import type { KvRepository } from '../storage/index.js';
import type { BusEvent } from './bus-event.js';

/** A ledger row: a claim held while a consumer runs the command, then its outcome. */
type Entry = { state: 'running'; claim: string; since: number } | { state: 'done'; event: BusEvent };

export interface CommandLedgerOptions {
  /**
   * How long a claim holds without renewal. The runner renews it every third of this while the
   * operation runs, so it only runs out when the runner died (or lost the database); a redelivered
   * command then waits at most this long before it may run again.
   */
  leaseMs: number;
  /** How long an outcome is kept for duplicates and redeliveries to republish. */
  outcomeTtlMs: number;
  /** First and longest pause between two looks at a claim held elsewhere, ms. */
  pollMs?: { initial: number; max: number };
  log?: Logger | undefined;
}

export type LedgerClaim = { kind: 'claimed'; lease: CommandLease } | { kind: 'done'; event: BusEvent };

const KEY_PREFIX = 'bus:command:';

/**
 * Makes a command's effect happen once per `task_id` + `step_id`, however often the broker
 * delivers it: a consumer claims the command (an atomic set-if-absent in the hub's kv table)
 * before it runs it, and replaces the claim with the outcome before it publishes. A duplicate
 * finds the outcome and republishes it; one that arrives while the command runs elsewhere waits
 * for that outcome.
 *
 * The window that remains: a runner that dies after the upstream applied a write and before the
 * outcome is stored. Its claim lapses after `leaseMs` and the redelivery runs the write again,
 * with the same idempotency key, so an upstream that honours keys applies it once.
 */
export class CommandLedger {
  private readonly poll: { initial: number; max: number };

  constructor(
    private readonly kv: KvRepository,
    private readonly options: CommandLedgerOptions,
  ) {
    this.poll = options.pollMs ?? { initial: 50, max: 1_000 };
  }

  /** The kv key of a command: its ids, unambiguously joined. */
  static key(taskId: string | number, stepId: string | number): string {
    return `${KEY_PREFIX}${JSON.stringify([String(taskId), String(stepId)])}`;
  }

  /** Deletes claims and outcomes past their expiry (they read as absent already; this frees the rows). */
  sweepExpired(): Promise<number> {
    return this.kv.deleteExpired(KEY_PREFIX);
  }

  /** A short stable digest of a command's ids (message ids, idempotency keys). */
  static digest(taskId: string | number, stepId: string | number): string {
    return createHash('sha256')
      .update(JSON.stringify([String(taskId), String(stepId)]))
      .digest('hex')
      .slice(0, 40);
  }

  /**
   * Claims the command, or returns its stored outcome. While another consumer holds the claim,
   * waits (polling with backoff) until it stores the outcome or its lease runs out; `signal` ends
   * the wait (it then rejects with an AbortError).
   */
  async claim(key: string, signal: AbortSignal): Promise<LedgerClaim> {
    const token = randomUUID();
    const running = JSON.stringify({ state: 'running', claim: token, since: Date.now() } satisfies Entry);
    let pause = this.poll.initial;
    for (;;) {
      signal.throwIfAborted();
      if (await this.kv.setIfAbsent(key, running, this.options.leaseMs)) {
        return { kind: 'claimed', lease: new CommandLease(this.kv, key, running, this.options) };
      }
      const raw = await this.kv.get(key);
      if (raw === undefined) continue; // released or lapsed between the two calls: claim again
      const entry = parseEntry(raw, key);
      if (entry.state === 'done') return { kind: 'done', event: entry.event };
      await sleep(pause, undefined, { signal });
      pause = Math.min(pause * 2, this.poll.max);
    }
  }
}

function parseEntry(raw: string, key: string): Entry {
  try {
    const entry = JSON.parse(raw) as Entry;
    if (entry.state === 'running' || entry.state === 'done') return entry;
  } catch {
    // fall through
  }
  throw new Error(`command ledger: ${key} holds a value that is not a ledger entry`);
}

/** A held claim: renewed while the command runs, then completed (outcome stored) or released. */
export class CommandLease {
  private readonly timer: NodeJS.Timeout;
  private held = true;
  private stopped = false;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly kv: KvRepository,
    private readonly key: string,
    private readonly value: string,
    private readonly options: CommandLedgerOptions,
  ) {
    this.timer = setInterval(
      () => {
        this.renewing ??= this.renew().finally(() => {
          this.renewing = undefined;
        });
      },
      Math.max(1, Math.floor(options.leaseMs / 3)),
    );
    this.timer.unref();
  }

  /** False once the claim was found taken over (this runner stalled past its lease). */
  get isHeld(): boolean {
    return this.held;
  }

  /** Stores the outcome in place of the claim; duplicates republish it from now on. */
  async complete(event: BusEvent): Promise<void> {
    await this.stop();
    const entry: Entry = { state: 'done', event };
    await this.kv.set(this.key, JSON.stringify(entry), this.options.outcomeTtlMs);
  }

  /** Gives the claim up without an outcome (the command is retried later, or never ran). */
  async release(): Promise<void> {
    await this.stop();
    // Compare-and-delete: a claim that lapsed and was taken over is no longer ours to delete.
    await this.kv.deleteIf(this.key, this.value);
  }

  /** No renewal may write after this: one in flight is awaited, so it cannot overwrite the outcome. */
  private async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.renewing;
  }

  private async renew(): Promise<void> {
    try {
      if (this.stopped) return;
      // Compare-and-set: only our own, unexpired claim is extended.
      const renewed = await this.kv.replaceIf(this.key, this.value, this.value, this.options.leaseMs);
      if (!renewed && this.held && !this.stopped) {
        this.held = false;
        clearInterval(this.timer);
        this.options.log?.warn({ key: this.key }, 'bus: command claim lapsed while running (stalled runner)');
      }
    } catch (err) {
      this.options.log?.warn({ err, key: this.key }, 'bus: command claim not renewed; retrying');
    }
  }
}
