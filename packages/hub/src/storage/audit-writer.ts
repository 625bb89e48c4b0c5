import type { AuditEntry, AuditRepository } from './audit-repository.js';

/** Group-commit settings of an {@link AuditWriter}. */
export interface AuditWriterOptions {
  /**
   * How long a recorded row may wait in memory before its batch is written. This bounds what a
   * crash can lose (see {@link AuditWriter}).
   * @default 50
   */
  flushIntervalMs?: number;
  /**
   * Rows per transaction; a full batch is written at once, without waiting for the interval.
   * @default 500
   */
  maxBatch?: number;
  /**
   * Rows held in memory at most (while the database is slow or down); past it `record()` rejects.
   * @default 100000
   */
  maxQueue?: number;
  /** Told of every failed batch write (the rows stay queued and are tried again). */
  onError?: (error: unknown) => void;
  /** Told of every committed batch: one call per transaction. */
  onFlush?: (info: { rows: number; durationMs: number }) => void;
}

export interface AuditWriterStats {
  /** Rows recorded and not yet committed. */
  queued: number;
  /** Committed rows. */
  written: number;
  /** Committed transactions. */
  flushes: number;
  /** Failed batch writes (each retried later). */
  failures: number;
  /** Rows refused because the queue was full or the writer closed. */
  rejected: number;
}

const noop = () => {};

/**
 * The rows recorded between two batch writes share one promise: they are committed together (or
 * in consecutive batches), so one settles them all. A promise per row cost more than queueing it.
 */
interface Group {
  /** Rows recorded since the writer was built, up to and including this group's last one. */
  end: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  done.catch(noop); // a caller may ignore it; failures reach onError
  return { end: 0, done, resolve, reject };
}

/**
 * A copy of the entry with `at` set to now: the time of the call, not of the batch write. Built as
 * `{ at, ...entry }`: on Node 20, `{ ...entry, at }` (a new key after a spread) costs about a
 * microsecond, twenty times more, as much as the rest of record().
 */
function stamped(entry: AuditEntry): AuditEntry {
  const at = Date.now();
  const copy: AuditEntry = { at, ...entry };
  copy.at ??= at; // the entry carried `at: undefined`, which the spread copied
  return copy;
}

/**
 * Writes audit rows by GROUP COMMIT, so no operation call waits on its own disk write:
 * `record()` queues a row and returns at once; rows are written every `flushIntervalMs` or as soon
 * as `maxBatch` are queued, each batch in ONE transaction ({@link AuditRepository.append}), one
 * batch at a time. The hash chain continues across batches, restarts and processes because each
 * transaction reads (and locks) the chain's head stored beside the rows.
 *
 * **Maximum loss on a crash:** rows not yet committed, that is the rows recorded during the last
 * `flushIntervalMs` (50 ms by default) plus the batch being written at that moment. While the
 * database is unreachable, queued rows (up to `maxQueue`) are kept and retried, and so are lost
 * too if the process dies meanwhile. Committed rows survive a process crash; on SQLite
 * (`synchronous=NORMAL`) an OS crash or power loss may also drop the last few commits. Callers
 * that must not go on before their row is durable can await the promise `record()` returns.
 */
export class AuditWriter {
  private readonly queue: AuditEntry[] = [];
  /** Groups not yet committed, oldest first; `open` (the last) is the one new rows join. */
  private readonly groups: Group[] = [];
  private open: Group | undefined;
  /** Rows ever recorded / committed, to know which groups a commit completes. */
  private recorded = 0;
  private committed = 0;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private timer: NodeJS.Timeout | undefined;
  private active: Promise<void> | undefined;
  private closed = false;
  private readonly counters = { written: 0, flushes: 0, failures: 0, rejected: 0 };

  constructor(
    private readonly repository: AuditRepository,
    private readonly options: AuditWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.maxQueue = Math.max(this.maxBatch, options.maxQueue ?? 100_000);
  }

  /**
   * Queues a row and returns at once. The returned promise resolves when the row is committed;
   * ignoring it is fine (a rejection is never reported as unhandled; `onError` hears of failures).
   */
  record(entry: AuditEntry): Promise<void> {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.counters.rejected++;
      const refused = Promise.reject(
        new Error(this.closed ? 'storage: audit writer is closed' : 'storage: audit queue is full'),
      );
      refused.catch(noop);
      return refused;
    }
    this.queue.push(entry.at === undefined ? stamped(entry) : entry);
    this.recorded++;
    let group = this.open;
    if (group === undefined) {
      group = newGroup();
      this.groups.push(group);
      this.open = group;
    }
    group.end = this.recorded;
    if (this.queue.length >= this.maxBatch) this.start().catch(noop);
    else this.schedule();
    return group.done;
  }

  /** Writes everything queued; rejects if a batch write fails (its rows stay queued). */
  async flush(): Promise<void> {
    while (this.active || this.queue.length > 0) {
      await (this.active ?? this.start());
    }
  }

  /**
   * Stops accepting rows and drains the queue. If the last write fails, the rows still queued are
   * rejected and the error is thrown.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    try {
      await this.flush();
    } catch (error) {
      this.queue.splice(0);
      this.open = undefined;
      for (const group of this.groups.splice(0)) group.reject(error);
      throw error;
    }
  }

  get stats(): AuditWriterStats {
    return { queued: this.queue.length, ...this.counters };
  }

  private schedule(): void {
    if (this.timer || this.active) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start().catch(noop); // reported through onError; the rows stay queued
    }, this.flushIntervalMs);
    // The hub's shutdown calls close(); a pending flush alone does not keep the process alive.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts the write loop unless it runs already; it ends when the queue is empty or a write fails. */
  private start(): Promise<void> {
    this.clearTimer();
    this.active ??= this.drain().finally(() => {
      this.active = undefined;
      if (this.queue.length > 0 && !this.closed) this.schedule();
    });
    return this.active;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Rows recorded while this batch is written settle with a later one: a new group.
      this.open = undefined;
      const batch = this.queue.slice(0, this.maxBatch);
      const started = performance.now();
      try {
        await this.repository.appendQuietly(batch);
      } catch (error) {
        this.counters.failures++;
        this.options.onError?.(error);
        throw error;
      }
      this.queue.splice(0, batch.length);
      this.committed += batch.length;
      this.counters.written += batch.length;
      this.counters.flushes++;
      this.options.onFlush?.({ rows: batch.length, durationMs: performance.now() - started });
      while (this.groups.length > 0 && (this.groups[0] as Group).end <= this.committed) {
        (this.groups.shift() as Group).resolve();
      }
    }
  }
}
