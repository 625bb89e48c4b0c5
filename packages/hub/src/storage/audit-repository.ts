import type { Kysely, Selectable, Transaction } from 'kysely';
import { type ChainHead, chainHash, GENESIS_HASH, parseHead } from './audit-chain.js';
import { AuditInserter, type AuditInsertRow } from './audit-insert.js';
import { fromJson, pageLimit, toJson } from './codec.js';
import { AUDIT_HEAD_KEY } from './migrations.js';
import type { AuditLogTable, HubSchema } from './schema.js';

/** One operation call, as the caller hands it to the audit log. Inputs must already be redacted. */
export interface AuditEntry {
  /** @default now */
  at?: number;
  requestId?: string | null;
  tokenId?: string | null;
  integration: string;
  operation: string;
  /** e.g. `'ok'` or `'error'`. */
  outcome: string;
  /** The error's stable `type` (e.g. `'IntegrationRateLimited'`) when the call failed. */
  errorType?: string | null;
  /** Rounded to whole milliseconds. */
  durationMs: number;
  /** The redacted input, stored as JSON. */
  inputRedacted?: unknown;
}

export interface AuditRecord {
  seq: number;
  at: number;
  requestId: string | null;
  tokenId: string | null;
  integration: string;
  operation: string;
  outcome: string;
  errorType: string | null;
  durationMs: number;
  inputRedacted: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditQuery {
  integration?: string;
  operation?: string;
  outcome?: string;
  tokenId?: string;
  requestId?: string;
  /** Inclusive lower bound on `at` (epoch ms). */
  from?: number;
  /** Exclusive upper bound on `at` (epoch ms). */
  to?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** @default 50 (at most 1000) */
  limit?: number;
  /** @default 'desc' (newest first) */
  order?: 'asc' | 'desc';
}

export interface AuditPage {
  rows: AuditRecord[];
  /** Present when more rows may follow. */
  nextCursor?: string;
}

export type ChainVerification =
  | { ok: true; rows: number; head: ChainHead | undefined }
  | {
      ok: false;
      rows: number;
      /** The first row (or the head) found wrong. */
      seq: number;
      reason: 'hash-mismatch' | 'broken-link' | 'head-mismatch';
      message: string;
    };

/**
 * The append-only, hash-chained audit log. Each row holds the hash of the one before
 * (`prev_hash`) and its own `hash = sha256(prev_hash + canonical fields)`; the chain's head
 * (`{ seq, hash }` of the last row) is kept in the kv table and updated in the same transaction.
 */
export class AuditRepository {
  private readonly inserter: AuditInserter;

  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {
    this.inserter = new AuditInserter(db);
  }

  /**
   * Appends rows in ONE transaction and extends the chain. The head row is locked first (an
   * UPDATE, so PostgreSQL row-locks it and SQLite takes its write lock before reading), so
   * several processes appending to one database still build a single chain.
   */
  async append(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const written = await this.write(entries);
    return written.rows.map((row, i) => toRecord({ seq: written.seqs[i] ?? 0, ...row }));
  }

  /**
   * {@link append} for callers that need no records back (the group-commit writer): the same
   * transaction, without building an {@link AuditRecord} (and parsing its input back) per row.
   */
  async appendQuietly(entries: readonly AuditEntry[]): Promise<void> {
    await this.write(entries);
  }

  private async write(entries: readonly AuditEntry[]): Promise<{ rows: AuditInsertRow[]; seqs: number[] }> {
    if (entries.length === 0) return { rows: [], seqs: [] };
    return this.db.transaction().execute(async (trx) => {
      const head = await lockHead(trx);
      let prev = head?.hash ?? GENESIS_HASH;
      const rows = new Array<AuditInsertRow>(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const row = this.toRow(entries[i] as AuditEntry, prev);
        rows[i] = row;
        prev = row.hash;
      }
      const seqs = await this.inserter.insert(trx, rows);
      const lastSeq = seqs[seqs.length - 1];
      if (lastSeq !== undefined) {
        await trx
          .updateTable('kv')
          .set({ value: JSON.stringify({ seq: lastSeq, hash: prev }) })
          .where('key', '=', AUDIT_HEAD_KEY)
          .execute();
      }
      return { rows, seqs };
    });
  }

  /** The chain's head, or `undefined` before the first row. */
  async head(): Promise<ChainHead | undefined> {
    const row = await this.db
      .selectFrom('kv')
      .select('value')
      .where('key', '=', AUDIT_HEAD_KEY)
      .executeTakeFirst();
    return parseHead(row?.value);
  }

  /** Filters and keyset-pages the log by `seq`. */
  async query(filter: AuditQuery = {}): Promise<AuditPage> {
    const limit = pageLimit(filter.limit);
    const desc = (filter.order ?? 'desc') === 'desc';
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.integration !== undefined) q = q.where('integration', '=', filter.integration);
    if (filter.operation !== undefined) q = q.where('operation', '=', filter.operation);
    if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
    if (filter.tokenId !== undefined) q = q.where('token_id', '=', filter.tokenId);
    if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (filter.cursor !== undefined) q = q.where('seq', desc ? '<' : '>', parseCursor(filter.cursor));
    const rows = await q
      .orderBy('seq', desc ? 'desc' : 'asc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toRecord);
    const last = page[page.length - 1];
    return rows.length > limit && last ? { rows: page, nextCursor: String(last.seq) } : { rows: page };
  }

  /**
   * Walks the whole log in `seq` order, recomputing every hash. Fails on the first row whose hash
   * does not match its fields (edited), whose `prev_hash` is not the previous row's hash (a row
   * removed or inserted), or when the last row is not the recorded head (rows cut off the end).
   * Rows appended while it runs (after the head it read first) are not checked.
   */
  async verifyChain(options: { batchSize?: number } = {}): Promise<ChainVerification> {
    const batchSize = pageLimit(options.batchSize, 1000, 10_000);
    const head = await this.head();
    let prev = GENESIS_HASH;
    let lastSeq = 0;
    let count = 0;
    const limitSeq = head?.seq ?? 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', lastSeq)
        .where('seq', '<=', limitSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        if (row.prev_hash !== prev) {
          return fail(
            count,
            row.seq,
            'broken-link',
            `row ${row.seq}: prev_hash does not link to the row before`,
          );
        }
        if (chainHash(row.prev_hash, row) !== row.hash) {
          return fail(count, row.seq, 'hash-mismatch', `row ${row.seq}: contents do not match its hash`);
        }
        prev = row.hash;
        lastSeq = row.seq;
        count++;
      }
      if (rows.length < batchSize) break;
    }
    if (head && (head.seq !== lastSeq || head.hash !== prev)) {
      return fail(
        count,
        head.seq,
        'head-mismatch',
        `the last row is ${lastSeq}, the recorded head is ${head.seq}`,
      );
    }
    return { ok: true, rows: count, head };
  }

  /** The row as stored, linked to `prevHash`; built in one literal (no spread per row). */
  private toRow(entry: AuditEntry, prevHash: string): AuditInsertRow {
    const row: AuditInsertRow = {
      at: entry.at ?? this.now(),
      request_id: entry.requestId ?? null,
      token_id: entry.tokenId ?? null,
      integration: entry.integration,
      operation: entry.operation,
      outcome: entry.outcome,
      error_type: entry.errorType ?? null,
      duration_ms: Math.round(entry.durationMs),
      input_redacted: entry.inputRedacted === undefined ? null : toJson(entry.inputRedacted),
      prev_hash: prevHash,
      hash: '',
    };
    row.hash = chainHash(prevHash, row);
    return row;
  }
}

async function lockHead(trx: Transaction<HubSchema>): Promise<ChainHead | undefined> {
  const locked = await trx
    .updateTable('kv')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('key', '=', AUDIT_HEAD_KEY)
    .executeTakeFirst();
  if (locked.numUpdatedRows === 0n) {
    // Only if someone deleted the head row; recreate it from the log itself.
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    const value = last ? JSON.stringify({ seq: last.seq, hash: last.hash }) : '';
    await trx.insertInto('kv').values({ key: AUDIT_HEAD_KEY, value, expires_at: null }).execute();
    return last;
  }
  const row = await trx.selectFrom('kv').select('value').where('key', '=', AUDIT_HEAD_KEY).executeTakeFirst();
  return parseHead(row?.value);
}

function parseCursor(cursor: string): number {
  const seq = Number(cursor);
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw new RangeError(`storage: invalid audit cursor ${JSON.stringify(cursor)}`);
  return seq;
}

function fail(
  rows: number,
  seq: number,
  reason: 'hash-mismatch' | 'broken-link' | 'head-mismatch',
  message: string,
): ChainVerification {
  return { ok: false, rows, seq, reason, message };
}

function toRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    requestId: row.request_id,
    tokenId: row.token_id,
    integration: row.integration,
    operation: row.operation,
    outcome: row.outcome,
    errorType: row.error_type,
    durationMs: row.duration_ms,
    inputRedacted: row.input_redacted === null ? undefined : fromJson(row.input_redacted),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
