import type { Kysely, Selectable } from 'kysely';
import { fromDbBool, fromJson } from './codec.js';
import type { HubSchema, WebhookEventsTable } from './schema.js';

/** One normalized event as the event log keeps it; `seq` orders the log and is the SSE event id. */
export interface StoredWebhookEvent {
  seq: number;
  deliveryRowId: string;
  source: string;
  type: string;
  eventId: string;
  occurredAt: string;
  data: unknown;
  test: boolean;
  createdAt: number;
}

/**
 * The log of normalized events (written by {@link WebhookDeliveryRepository.complete}), read in
 * `seq` order by the event stream and the outbound deliveries.
 */
export class WebhookEventRepository {
  constructor(private readonly db: Kysely<HubSchema>) {}

  /** Events with `seq > after`, oldest first, at most `limit`. */
  async after(after: number, limit = 500): Promise<StoredWebhookEvent[]> {
    const rows = await this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }

  /** The events with these sequence numbers (any order). */
  async bySeq(seqs: readonly number[]): Promise<StoredWebhookEvent[]> {
    if (seqs.length === 0) return [];
    const rows = await this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('seq', 'in', [...new Set(seqs)])
      .execute();
    return rows.map(toEvent);
  }

  async byDeliveryRow(deliveryRowId: string): Promise<StoredWebhookEvent | undefined> {
    const row = await this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('delivery_row_id', '=', deliveryRowId)
      .executeTakeFirst();
    return row && toEvent(row);
  }

  /** The highest sequence number written so far; 0 for an empty log. */
  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_events')
      .select((eb) => eb.fn.max('seq').as('last'))
      .executeTakeFirst();
    return Number(row?.last ?? 0);
  }
}

function toEvent(row: Selectable<WebhookEventsTable>): StoredWebhookEvent {
  return {
    seq: Number(row.seq),
    deliveryRowId: row.delivery_row_id,
    source: row.source,
    type: row.type,
    eventId: row.event_id,
    occurredAt: row.occurred_at,
    data: fromJson(row.data),
    test: fromDbBool(row.test),
    createdAt: row.created_at,
  };
}
