import type { Kysely, Selectable } from 'kysely';
import { fromJson, pageLimit, toJson } from './codec.js';
import { DeadLetterRepository, type NewDeadLetter } from './dead-letter-repository.js';
import { claimDueRows, claimRowById } from './lease-claims.js';
import type { HubSchema, SqlDialect, WebhookOutboxStatus, WebhookOutboxTable } from './schema.js';

/** One event owed to one subscriber. */
export interface OutboxEntry {
  id: string;
  subscriber: string;
  eventSeq: number;
  messageId: string;
  status: WebhookOutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseToken: string | null;
  leaseUntil: number | null;
  /** The HTTP status of the last attempt (none when it did not get an answer). */
  lastStatus: number | null;
  lastError: unknown;
  createdAt: number;
  deliveredAt: number | null;
}

export type ClaimedOutboxEntry = OutboxEntry & { leaseToken: string };

export interface OutboxPage {
  rows: OutboxEntry[];
  nextCursor?: string;
}

/** The durable outbox of events owed to subscribers, claimed by delivery workers under a lease. */
export class WebhookOutboxRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
    /** On PostgreSQL concurrent claimers skip each other's locked rows instead of colliding. */
    private readonly dialect: SqlDialect = 'sqlite',
  ) {}

  /** Claims up to `limit` due, unleased entries, counting an attempt on each (see {@link claimDueRows}). */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedOutboxEntry[]> {
    const rows = await claimDueRows<Selectable<WebhookOutboxTable>>(this.db, 'webhook_outbox', this.dialect, {
      now: this.now(),
      limit,
      leaseMs,
    });
    return rows.map((row) => toEntry(row) as ClaimedOutboxEntry);
  }

  /** Claims one pending entry now, due or not (a replay); `undefined` if held or finished. */
  async claimById(id: string, leaseMs: number): Promise<ClaimedOutboxEntry | undefined> {
    const row = await claimRowById<Selectable<WebhookOutboxTable>>(this.db, 'webhook_outbox', {
      id,
      now: this.now(),
      leaseMs,
    });
    return row && (toEntry(row) as ClaimedOutboxEntry);
  }

  async delivered(claim: ClaimedOutboxEntry, status: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_outbox')
      .set({
        status: 'delivered',
        delivered_at: this.now(),
        last_status: status,
        last_error: null,
        lease_token: null,
        lease_until: null,
      })
      .where('id', '=', claim.id)
      .where('lease_token', '=', claim.leaseToken)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async retryLater(
    claim: ClaimedOutboxEntry,
    failure: { status: number | null; error: unknown },
    nextAttemptAt: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_outbox')
      .set({
        next_attempt_at: nextAttemptAt,
        last_status: failure.status,
        last_error: toJson(failure.error),
        lease_token: null,
        lease_until: null,
      })
      .where('id', '=', claim.id)
      .where('lease_token', '=', claim.leaseToken)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Marks the entry dead and adds its dead letter in the same transaction; `false` if the lease was lost. */
  async bury(
    claim: ClaimedOutboxEntry,
    failure: { status: number | null; error: unknown },
    letter?: NewDeadLetter,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('webhook_outbox')
        .set({
          status: 'dead',
          last_status: failure.status,
          last_error: toJson(failure.error),
          lease_token: null,
          lease_until: null,
        })
        .where('id', '=', claim.id)
        .where('lease_token', '=', claim.leaseToken)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (letter) await new DeadLetterRepository(trx, this.now).add(letter);
      return true;
    });
  }

  /** Puts a dead entry back in the queue with a fresh attempt count (a dead-letter replay). */
  async requeue(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_outbox')
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

  async get(id: string): Promise<OutboxEntry | undefined> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toEntry(row);
  }

  /** One subscriber's entries, newest first, keyset-paged on `(created_at, id)`. */
  async list(subscriber: string, options: { cursor?: string; limit?: number } = {}): Promise<OutboxPage> {
    const limit = pageLimit(options.limit);
    let q = this.db.selectFrom('webhook_outbox').selectAll().where('subscriber', '=', subscriber);
    if (options.cursor !== undefined) {
      const colon = options.cursor.indexOf(':');
      const at = Number(options.cursor.slice(0, colon));
      if (colon < 1 || !Number.isSafeInteger(at)) {
        throw new RangeError(`storage: invalid outbox cursor ${JSON.stringify(options.cursor)}`);
      }
      const id = options.cursor.slice(colon + 1);
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
      );
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toEntry);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { rows: page, nextCursor: `${last.createdAt}:${last.id}` }
      : { rows: page };
  }

  /** How many entries are in each status, optionally for one subscriber. */
  async countByStatus(subscriber?: string): Promise<Record<WebhookOutboxStatus, number>> {
    let q = this.db
      .selectFrom('webhook_outbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status');
    if (subscriber !== undefined) q = q.where('subscriber', '=', subscriber);
    const counts: Record<WebhookOutboxStatus, number> = { pending: 0, delivered: 0, dead: 0 };
    for (const row of await q.execute()) counts[row.status] = Number(row.n);
    return counts;
  }
}

function toEntry(row: Selectable<WebhookOutboxTable>): OutboxEntry {
  return {
    id: row.id,
    subscriber: row.subscriber,
    eventSeq: Number(row.event_seq),
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseToken: row.lease_token,
    leaseUntil: row.lease_until,
    lastStatus: row.last_status,
    lastError: row.last_error === null ? null : fromJson(row.last_error),
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}
