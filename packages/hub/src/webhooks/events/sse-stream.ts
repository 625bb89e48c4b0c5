import type { ServerResponse } from 'node:http';
import type { StoredWebhookEvent, WebhookEventRepository } from '../../storage/index.js';
import type { EventFeed, FeedListener } from './event-feed.js';

export interface StreamFilter {
  /** Source names; empty for all. */
  sources: readonly string[];
  /** Matches the event's type (see `compilePatterns`); undefined for all. */
  type?: ((type: string) => boolean) | undefined;
}

export interface SseStreamOptions {
  feed: EventFeed;
  events: WebhookEventRepository;
  filter: StreamFilter;
  /** Resume after this event (`Last-Event-ID`): the missed events are read from storage first. */
  lastEventId?: number | undefined;
  /** A comment line this often keeps proxies from closing an idle stream. @default 15000 */
  heartbeatMs?: number;
  /** A client this far behind is disconnected; it resumes with Last-Event-ID. @default 1 MiB */
  maxBufferedBytes?: number;
}

const PAGE = 500;

/**
 * One `text/event-stream` response: `id: <seq>` and `data: <normalized event JSON>` per event. With a Last-Event-ID it first replays what was missed from storage (up to the
 * feed's position), holding live events meanwhile, so nothing is lost or sent twice.
 */
export class SseStream implements FeedListener {
  private lastSent: number;
  private catchingUp: boolean;
  private held: StoredWebhookEvent[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseStreamOptions,
  ) {
    this.lastSent = options.lastEventId ?? 0;
    this.catchingUp = options.lastEventId !== undefined;
  }

  /** Starts the stream: joins the feed, then replays what was missed (when resuming). */
  async open(): Promise<void> {
    const { feed, events, heartbeatMs = 15_000 } = this.options;
    this.res.write('retry: 3000\n\n');
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
    const until = await feed.position();
    if (!this.catchingUp) this.lastSent = until;
    this.unsubscribe = await feed.subscribe(this);
    if (!this.catchingUp) return;
    for (;;) {
      const rows = (await events.after(this.lastSent, PAGE)).filter((row) => row.seq <= until);
      for (const row of rows) this.send(row);
      if (rows.length < PAGE || this.ended) break;
    }
    this.catchingUp = false;
    for (const row of this.held) this.send(row);
    this.held = [];
  }

  push(event: StoredWebhookEvent): void {
    if (this.catchingUp) this.held.push(event);
    else this.send(event);
  }

  /** Ends the response (the client went away, or the hub is closing). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    this.held = [];
    if (!this.res.writableEnded) this.res.end();
  }

  private send(event: StoredWebhookEvent): void {
    if (event.seq <= this.lastSent) return;
    this.lastSent = event.seq;
    const { sources, type } = this.options.filter;
    if (sources.length > 0 && !sources.includes(event.source)) return;
    if (type && !type(event.type)) return;
    const data = JSON.stringify({
      source: event.source,
      type: event.type,
      id: event.eventId,
      occurredAt: event.occurredAt,
      data: event.data,
      ...(event.test ? { test: true } : {}),
    });
    // No `event:` field: every event reaches EventSource's `onmessage`; the type is in the data.
    this.write(`id: ${event.seq}\ndata: ${data}\n\n`);
  }

  private write(chunk: string): void {
    if (this.ended) return;
    this.res.write(chunk);
    if (this.res.writableLength > (this.options.maxBufferedBytes ?? 1024 * 1024)) this.end();
  }
}
