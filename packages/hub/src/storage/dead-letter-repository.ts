import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, pageLimit, toJson } from './codec.js';
import type { DeadLetterStatus, DeadLettersTable, HubSchema } from './schema.js';

/** A failed write operation kept for replay. Its input stays encrypted (an opaque envelope). */
export interface DeadLetter {
  id: string;
  at: number;
  integration: string;
  operation: string;
  inputCiphertext: string;
  /** Kept so a replay sends the original key. */
  idempotencyKey: string | null;
  /** The last error, as its wire JSON (`{ type, message, ... }`). */
  error: unknown;
  attempts: number;
  status: DeadLetterStatus;
  replayedAt: number | null;
  requestId: string | null;
}

export interface NewDeadLetter {
  integration: string;
  operation: string;
  inputCiphertext: string;
  idempotencyKey?: string | null;
  error: unknown;
  attempts: number;
  requestId?: string | null;
  /** @default a random UUID */
  id?: string;
  /** @default now */
  at?: number;
}

export interface DeadLetterQuery {
  status?: DeadLetterStatus;
  integration?: string;
  cursor?: string;
  /** @default 50 (at most 1000) */
  limit?: number;
}

/** One re-encrypted dead-letter input for {@link DeadLetterRepository.rewrapInputs}. */
export interface DeadLetterRewrap {
  id: string;
  /** The envelope the caller decrypted; the row is only replaced if it still holds it. */
  fromCiphertext: string;
  ciphertext: string;
}

export interface DeadLetterPage {
  rows: DeadLetter[];
  nextCursor?: string;
}

/** The dead-letter queue, newest first. */
export class DeadLetterRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves once the entry is committed: acknowledge the caller only after that. */
  async add(entry: NewDeadLetter): Promise<DeadLetter> {
    const row = await this.db
      .insertInto('dead_letters')
      .values({
        id: entry.id ?? randomUUID(),
        at: entry.at ?? this.now(),
        integration: entry.integration,
        operation: entry.operation,
        input_ciphertext: entry.inputCiphertext,
        idempotency_key: entry.idempotencyKey ?? null,
        error: toJson(entry.error),
        attempts: entry.attempts,
        status: 'pending',
        replayed_at: null,
        request_id: entry.requestId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const row = await this.db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Newest first, keyset-paged on `(at, id)`. */
  async list(filter: DeadLetterQuery = {}): Promise<DeadLetterPage> {
    const limit = pageLimit(filter.limit);
    let q = this.db.selectFrom('dead_letters').selectAll();
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.integration !== undefined) q = q.where('integration', '=', filter.integration);
    if (filter.cursor !== undefined) {
      const { at, id } = parseCursor(filter.cursor);
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toRecord);
    const last = page[page.length - 1];
    return rows.length > limit && last ? { rows: page, nextCursor: `${last.at}:${last.id}` } : { rows: page };
  }

  /** Marks a successful replay; `false` if the entry is gone. */
  async markReplayed(id: string, at: number = this.now()): Promise<boolean> {
    const result = await this.db
      .updateTable('dead_letters')
      .set((eb) => ({ status: 'replayed', replayed_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Marks a failed replay, counting the attempt and keeping the new error; `false` if gone. */
  async markFailed(id: string, error: unknown): Promise<boolean> {
    const result = await this.db
      .updateTable('dead_letters')
      .set((eb) => ({ status: 'failed', error: toJson(error), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Every entry's sealed input, a page at a time in id order (for key rotation; replayed entries
   * too, since they can be replayed again).
   */
  async *inputs(pageSize = 500): AsyncGenerator<{ id: string; inputCiphertext: string }[]> {
    let after: string | undefined;
    for (;;) {
      let q = this.db.selectFrom('dead_letters').select(['id', 'input_ciphertext']);
      if (after !== undefined) q = q.where('id', '>', after);
      const rows = await q.orderBy('id').limit(pageSize).execute();
      if (rows.length === 0) return;
      yield rows.map((r) => ({ id: r.id, inputCiphertext: r.input_ciphertext }));
      after = rows[rows.length - 1]?.id;
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Replaces re-encrypted inputs in one transaction. A row whose input is no longer
   * `fromCiphertext` (replaced meanwhile) is left alone and not counted. Returns how many were replaced.
   */
  async rewrapInputs(updates: readonly DeadLetterRewrap[]): Promise<number> {
    if (updates.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      let replaced = 0;
      for (const u of updates) {
        const result = await trx
          .updateTable('dead_letters')
          .set({ input_ciphertext: u.ciphertext })
          .where('id', '=', u.id)
          .where('input_ciphertext', '=', u.fromCiphertext)
          .executeTakeFirst();
        replaced += Number(result.numUpdatedRows);
      }
      return replaced;
    });
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('dead_letters').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async count(status?: DeadLetterStatus): Promise<number> {
    let q = this.db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n'));
    if (status !== undefined) q = q.where('status', '=', status);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function parseCursor(cursor: string): { at: number; id: string } {
  const colon = cursor.indexOf(':');
  const at = Number(cursor.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(at)) {
    throw new RangeError(`storage: invalid dead-letter cursor ${JSON.stringify(cursor)}`);
  }
  return { at, id: cursor.slice(colon + 1) };
}

function toRecord(row: Selectable<DeadLettersTable>): DeadLetter {
  return {
    id: row.id,
    at: row.at,
    integration: row.integration,
    operation: row.operation,
    inputCiphertext: row.input_ciphertext,
    idempotencyKey: row.idempotency_key,
    error: fromJson(row.error),
    attempts: row.attempts,
    status: row.status,
    replayedAt: row.replayed_at,
    requestId: row.request_id,
  };
}
