import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { fromDbBool, fromJson, pageLimit, toDbBool, toJson } from './codec.js';
import { DeadLetterRepository, type NewDeadLetter } from './dead-letter-repository.js';
import { claimDueRows, claimRowById } from './lease-claims.js';
import type { HubSchema, SqlDialect, WebhookDeliveriesTable, WebhookDeliveryStatus } from './schema.js';

/** What the receiver stores for one verified (or explicitly unsigned) delivery. */
export interface NewWebhookDelivery {
  source: string;
  deliveryId: string;
  contentType: string | null;
  headers: Readonly<Record<string, string>>;
  body: string;
  verification: 'verified' | 'unsigned';
  test?: boolean;
  /** @default a random UUID */
  id?: string;
  /** @default now */
  receivedAt?: number;
  /** When workers may first claim it. @default `receivedAt` */
  nextAttemptAt?: number;
}

export interface WebhookDelivery {
  id: string;
  source: string;
  deliveryId: string;
  receivedAt: number;
  contentType: string | null;
  headers: Record<string, string>;
  body: string;
  verification: string;
  test: boolean;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseToken: string | null;
  leaseUntil: number | null;
  eventType: string | null;
  lastError: unknown;
  processedAt: number | null;
}

/** Rows per multi-row INSERT (SQLite caps the bound parameters of one statement). */
const INSERT_CHUNK = 200;

/** A delivery held by one worker: `leaseToken` fences every write that finishes it. */
export type ClaimedDelivery = WebhookDelivery & { leaseToken: string };

/** The normalized event a processed delivery produced, and who is owed it. */
export interface ProcessedOutcome {
  event: {
    source: string;
    type: string;
    eventId: string;
    occurredAt: string;
    data: unknown;
  };
  /** `webhook-id` of the outbound message (the same for every subscriber). */
  messageId: string;
  subscribers: readonly string[];
}

export type ReceiveResult = { stored: true; id: string } | { stored: false; id: string | undefined };

export interface WebhookDeliveryQuery {
  source: string;
  status?: WebhookDeliveryStatus;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** @default 50 (at most 1000) */
  limit?: number;
}

export interface WebhookDeliveryPage {
  rows: WebhookDelivery[];
  nextCursor?: string;
}

/**
 * Received webhook deliveries: stored once per `(source, delivery id)`, claimed by workers under a
 * lease, finished (event, outbox rows and status in one transaction) exactly once.
 */
export class WebhookDeliveryRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
    /** On PostgreSQL concurrent claimers skip each other's locked rows instead of colliding. */
    private readonly dialect: SqlDialect = 'sqlite',
  ) {}

  /**
   * Stores a delivery unless its `(source, delivery id)` is known; resolves once committed, so the
   * sender may be answered 2xx only after this. A duplicate stores nothing and names the first row.
   */
  async receive(entry: NewWebhookDelivery): Promise<ReceiveResult> {
    const [result] = await this.receiveMany([entry]);
    return result as ReceiveResult;
  }

  /**
   * {@link receive} for many deliveries in ONE transaction (a group commit: one write to the log for
   * all of them). Results are in the order given; a delivery whose `(source, delivery id)` is known,
   * or repeats an earlier one of the same batch, is a duplicate naming the stored row.
   */
  async receiveMany(entries: readonly NewWebhookDelivery[]): Promise<ReceiveResult[]> {
    if (entries.length === 0) return [];
    const now = this.now();
    const rows = entries.map((entry) => {
      const at = entry.receivedAt ?? now;
      return {
        id: entry.id ?? randomUUID(),
        source: entry.source,
        delivery_id: entry.deliveryId,
        received_at: at,
        content_type: entry.contentType,
        headers: toJson(entry.headers),
        body: entry.body,
        verification: entry.verification,
        test: toDbBool(entry.test ?? false),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: entry.nextAttemptAt ?? at,
        lease_token: null,
        lease_until: null,
        event_type: null,
        last_error: null,
        processed_at: null,
      };
    });
    return this.db.transaction().execute(async (trx) => {
      const inserted = new Set<string>();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const done = await trx
          .insertInto('webhook_deliveries')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
          .returning('id')
          .execute();
        for (const row of done) inserted.add(row.id);
      }
      const duplicates = rows.filter((row) => !inserted.has(row.id));
      const existing = new Map<string, string>();
      for (const source of new Set(duplicates.map((row) => row.source))) {
        const found = await trx
          .selectFrom('webhook_deliveries')
          .select(['id', 'delivery_id'])
          .where('source', '=', source)
          .where(
            'delivery_id',
            'in',
            duplicates.filter((row) => row.source === source).map((row) => row.delivery_id),
          )
          .execute();
        for (const row of found) existing.set(`${source}\0${row.delivery_id}`, row.id);
      }
      return rows.map(
        (row): ReceiveResult =>
          inserted.has(row.id)
            ? { stored: true, id: row.id }
            : { stored: false, id: existing.get(`${row.source}\0${row.delivery_id}`) },
      );
    });
  }

  async get(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async findByDeliveryId(source: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('source', '=', source)
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  /** Claims up to `limit` due, unleased deliveries, counting an attempt on each (see {@link claimDueRows}). */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await claimDueRows<Selectable<WebhookDeliveriesTable>>(
      this.db,
      'webhook_deliveries',
      this.dialect,
      {
        now: this.now(),
        limit,
        leaseMs,
      },
    );
    return rows.map((row) => toDelivery(row) as ClaimedDelivery);
  }

  /** Claims one pending delivery now, due or not (the test route, a replay); `undefined` if held or finished. */
  async claimById(id: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const row = await claimRowById<Selectable<WebhookDeliveriesTable>>(this.db, 'webhook_deliveries', {
      id,
      now: this.now(),
      leaseMs,
    });
    return row && (toDelivery(row) as ClaimedDelivery);
  }

  /**
   * Finishes a claimed delivery in ONE transaction: its event is appended to the event log, one
   * outbox row per subscriber is added, and the delivery is marked processed. Returns the event's
   * sequence number, or `undefined` when the lease was lost (another worker holds the row now), in
   * which case nothing is written.
   */
  async complete(claim: ClaimedDelivery, outcome: ProcessedOutcome): Promise<number | undefined> {
    const [seq] = await this.completeMany([{ claim, outcome }]);
    return seq;
  }

  /**
   * {@link complete} for several deliveries in one transaction (a group commit); each is fenced by
   * its own lease, so one lost lease skips that delivery only. Results are in the order given.
   */
  async completeMany(
    items: readonly { claim: ClaimedDelivery; outcome: ProcessedOutcome }[],
  ): Promise<(number | undefined)[]> {
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const seqs: (number | undefined)[] = [];
      for (const { claim, outcome } of items) seqs.push(await completeOne(trx, claim, outcome, now));
      return seqs;
    });
  }

  /** Gives a failed attempt back for another try at `nextAttemptAt`; `false` if the lease was lost. */
  async retryLater(claim: ClaimedDelivery, error: unknown, nextAttemptAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({
        lease_token: null,
        lease_until: null,
        next_attempt_at: nextAttemptAt,
        last_error: toJson(error),
      })
      .where('id', '=', claim.id)
      .where('lease_token', '=', claim.leaseToken)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Marks a delivery dead after its last attempt and, in the same transaction, adds its dead
   * letter (when given). `false`, and nothing written, if the lease was lost.
   */
  async bury(claim: ClaimedDelivery, error: unknown, letter?: NewDeadLetter): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'dead', lease_token: null, lease_until: null, last_error: toJson(error) })
        .where('id', '=', claim.id)
        .where('lease_token', '=', claim.leaseToken)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (letter) await new DeadLetterRepository(trx, this.now).add(letter);
      return true;
    });
  }

  /** Puts a dead delivery back in the queue with a fresh attempt count (a dead-letter replay). */
  async requeue(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: this.now(),
        lease_token: null,
        lease_until: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** One source's deliveries, newest first, keyset-paged on `(received_at, id)`. */
  async list(query: WebhookDeliveryQuery): Promise<WebhookDeliveryPage> {
    const limit = pageLimit(query.limit);
    let q = this.db.selectFrom('webhook_deliveries').selectAll().where('source', '=', query.source);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.cursor !== undefined) {
      const { at, id } = parseCursor(query.cursor);
      q = q.where((eb) =>
        eb.or([eb('received_at', '<', at), eb.and([eb('received_at', '=', at), eb('id', '<', id)])]),
      );
    }
    const rows = await q
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toDelivery);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { rows: page, nextCursor: `${last.receivedAt}:${last.id}` }
      : { rows: page };
  }

  /** How many deliveries are in each status, optionally for one source. */
  async countByStatus(source?: string): Promise<Record<WebhookDeliveryStatus, number>> {
    let q = this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status');
    if (source !== undefined) q = q.where('source', '=', source);
    const counts: Record<WebhookDeliveryStatus, number> = { pending: 0, processed: 0, dead: 0 };
    for (const row of await q.execute()) counts[row.status] = Number(row.n);
    return counts;
  }
}

function parseCursor(cursor: string): { at: number; id: string } {
  const colon = cursor.indexOf(':');
  const at = Number(cursor.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(at)) {
    throw new RangeError(`storage: invalid webhook delivery cursor ${JSON.stringify(cursor)}`);
  }
  return { at, id: cursor.slice(colon + 1) };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    source: row.source,
    deliveryId: row.delivery_id,
    receivedAt: row.received_at,
    contentType: row.content_type,
    headers: fromJson(row.headers),
    body: row.body,
    verification: row.verification,
    test: fromDbBool(row.test),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseToken: row.lease_token,
    leaseUntil: row.lease_until,
    eventType: row.event_type,
    lastError: row.last_error === null ? null : fromJson(row.last_error),
    processedAt: row.processed_at,
  };
}

async function completeOne(
  trx: Transaction<HubSchema>,
  claim: ClaimedDelivery,
  outcome: ProcessedOutcome,
  now: number,
): Promise<number | undefined> {
  const marked = await trx
    .updateTable('webhook_deliveries')
    .set({
      status: 'processed',
      processed_at: now,
      event_type: outcome.event.type,
      lease_token: null,
      lease_until: null,
      last_error: null,
    })
    .where('id', '=', claim.id)
    .where('lease_token', '=', claim.leaseToken)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (marked.numUpdatedRows === 0n) return undefined;
  const event = await trx
    .insertInto('webhook_events')
    .values({
      delivery_row_id: claim.id,
      source: outcome.event.source,
      type: outcome.event.type,
      event_id: outcome.event.eventId,
      occurred_at: outcome.event.occurredAt,
      data: toJson(outcome.event.data),
      test: toDbBool(claim.test),
      created_at: now,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const seq = Number(event.seq);
  if (outcome.subscribers.length > 0) {
    await trx
      .insertInto('webhook_outbox')
      .values(
        outcome.subscribers.map((subscriber) => ({
          id: randomUUID(),
          subscriber,
          event_seq: seq,
          message_id: outcome.messageId,
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: now,
          lease_token: null,
          lease_until: null,
          last_status: null,
          last_error: null,
          created_at: now,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['subscriber', 'message_id']).doNothing())
      .execute();
  }
  return seq;
}
