import type { Logger } from '@patchbay/core';
import type { StoredWebhookEvent, WebhookEventRepository } from '../../storage/index.js';

/** Someone watching the feed (an SSE connection). */
export interface FeedListener {
  push(event: StoredWebhookEvent): void;
}

export interface EventFeedOptions {
  events: WebhookEventRepository;
  /** How often the log is read while someone listens (events processed by other hub processes). @default 500 */
  pollMs?: number;
  /**
   * How long a hole in the sequence is waited for before it is skipped. On PostgreSQL a sequence
   * number is taken before its transaction commits, so a later number can become visible first;
   * a number that never shows (a rolled-back insert) must not stall the feed. @default 2000
   */
  gapGraceMs?: number;
  log?: Logger | undefined;
  now?: () => number;
}

const PAGE = 500;

/**
 * Tails the event log (the `webhook_events` table) for every listener of this process, so events
 * processed by any hub process reach every stream, in order. It reads only while someone listens,
 * every `pollMs`, or at once on `wake()` (this process just committed an event).
 */
export class EventFeed {
  private readonly listeners = new Set<FeedListener>();
  private cursor: number | undefined;
  private gapSince: number | undefined;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: EventFeedOptions) {}

  /** The last sequence number handed to listeners (events up to it are in storage). */
  async position(): Promise<number> {
    this.cursor ??= await this.options.events.lastSeq();
    return this.cursor;
  }

  /** Adds a listener; it gets every event after {@link position} at the time it joined. */
  async subscribe(listener: FeedListener): Promise<() => void> {
    await this.position();
    this.listeners.add(listener);
    if (!this.loop && !this.closed) this.loop = this.run();
    return () => this.listeners.delete(listener);
  }

  wake(): void {
    this.wakeUp?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.closed && this.listeners.size > 0) {
      try {
        await this.readNew();
      } catch (error) {
        this.options.log?.error({ err: error }, 'webhook event feed: read failed');
      }
      await this.idle();
    }
    this.loop = undefined;
  }

  private async readNew(): Promise<void> {
    const now = this.options.now ?? Date.now;
    for (;;) {
      const cursor = await this.position();
      const rows = await this.options.events.after(cursor, PAGE);
      for (const row of rows) {
        if (row.seq !== (this.cursor as number) + 1) {
          this.gapSince ??= now();
          if (now() - this.gapSince < (this.options.gapGraceMs ?? 2000)) return;
        }
        this.gapSince = undefined;
        this.cursor = row.seq;
        for (const listener of this.listeners) listener.push(row);
      }
      if (rows.length < PAGE) return;
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs ?? 500);
      this.wakeUp = done;
    });
  }
}
