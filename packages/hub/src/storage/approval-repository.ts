import type { Kysely, Selectable } from 'kysely';
import { fromJson, pageLimit, toJson } from './codec.js';
import type { ApprovalStatus, ApprovalsTable, HubSchema } from './schema.js';

/** A write waiting for (or given) an admin's decision. */
export interface ApprovalRecord {
  id: string;
  createdAt: number;
  expiresAt: number;
  status: ApprovalStatus;
  integration: string;
  operation: string;
  channel: string;
  requestId: string | null;
  requestedBy: string | null;
  requestedByName: string | null;
  /** The input, secrets redacted. */
  input: unknown;
  /** What the dry run showed: `{ request }` or `{ error }`. */
  preview: unknown;
  decidedAt: number | null;
  decidedBy: string | null;
  decidedByName: string | null;
  reason: string | null;
  waiterSeenAt: number;
}

export interface NewApproval {
  id: string;
  expiresAt: number;
  integration: string;
  operation: string;
  channel: string;
  requestId?: string | null;
  requestedBy?: string | null;
  requestedByName?: string | null;
  input: unknown;
  preview: unknown;
  /** @default now */
  createdAt?: number;
}

/** A decision as the waiting call polls it. */
export interface ApprovalState {
  id: string;
  status: ApprovalStatus;
  reason: string | null;
  decidedBy: string | null;
}

export interface ApprovalDecision {
  status: 'granted' | 'denied';
  by: string | null;
  byName?: string | null;
  reason?: string | null;
  /** @default now */
  at?: number;
}

export interface ApprovalQuery {
  status?: ApprovalStatus;
  /** With `status: 'pending'`: only those that have not expired by this time (epoch ms). */
  liveAt?: number;
  cursor?: string;
  /** @default 50 (at most 1000) */
  limit?: number;
}

export interface ApprovalPage {
  rows: ApprovalRecord[];
  nextCursor?: string;
}

/** SQLite caps the parameters of one statement; `in (…)` lists are cut into pieces of this size. */
const IN_CHUNK = 500;

/**
 * Approvals, newest first. Every change of status is a compare-and-set from `pending`, so of two
 * processes deciding the same approval (a grant and a timeout, two admins) exactly one wins.
 */
export class ApprovalRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(entry: NewApproval): Promise<ApprovalRecord> {
    const at = entry.createdAt ?? this.now();
    const row = await this.db
      .insertInto('approvals')
      .values({
        id: entry.id,
        created_at: at,
        expires_at: entry.expiresAt,
        status: 'pending',
        integration: entry.integration,
        operation: entry.operation,
        channel: entry.channel,
        request_id: entry.requestId ?? null,
        requested_by: entry.requestedBy ?? null,
        requested_by_name: entry.requestedByName ?? null,
        input_redacted: toJson(entry.input),
        preview: toJson(entry.preview),
        decided_at: null,
        decided_by: null,
        decided_by_name: null,
        reason: null,
        waiter_seen_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const row = await this.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Newest first, keyset-paged on `(created_at, id)`. */
  async list(query: ApprovalQuery = {}): Promise<ApprovalPage> {
    const limit = pageLimit(query.limit);
    let q = this.db.selectFrom('approvals').selectAll();
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.liveAt !== undefined) q = q.where('expires_at', '>', query.liveAt);
    if (query.cursor !== undefined) {
      const { at, id } = parseCursor(query.cursor);
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
      );
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toRecord);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { rows: page, nextCursor: `${last.createdAt}:${last.id}` }
      : { rows: page };
  }

  /** The status of each of these approvals (the waiting calls' poll: one query for all of them). */
  async states(ids: readonly string[]): Promise<ApprovalState[]> {
    const states: ApprovalState[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await this.db
        .selectFrom('approvals')
        .select(['id', 'status', 'reason', 'decided_by'])
        .where('id', 'in', ids.slice(i, i + IN_CHUNK))
        .execute();
      for (const row of rows) {
        states.push({ id: row.id, status: row.status, reason: row.reason, decidedBy: row.decided_by });
      }
    }
    return states;
  }

  /**
   * Grants or denies a pending approval that has not expired at `decision.at`; `false` when it
   * was no longer pending (decided, expired, cancelled) or has expired.
   */
  async decide(id: string, decision: ApprovalDecision): Promise<boolean> {
    const at = decision.at ?? this.now();
    const result = await this.db
      .updateTable('approvals')
      .set({
        status: decision.status,
        decided_at: at,
        decided_by: decision.by,
        decided_by_name: decision.byName ?? null,
        reason: decision.reason ?? null,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends a pending approval without a decision (`expired`, `cancelled`, `abandoned`); `false` if it was not pending. */
  async finish(
    id: string,
    status: Exclude<ApprovalStatus, 'pending' | 'granted' | 'denied'>,
    reason: string | null = null,
    at: number = this.now(),
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set({ status, decided_at: at, reason })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records that the calls waiting on these approvals are still there. */
  async touch(ids: readonly string[], at: number = this.now()): Promise<void> {
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      await this.db
        .updateTable('approvals')
        .set({ waiter_seen_at: at })
        .where('id', 'in', ids.slice(i, i + IN_CHUNK))
        .where('status', '=', 'pending')
        .execute();
    }
  }
}

function parseCursor(cursor: string): { at: number; id: string } {
  const colon = cursor.indexOf(':');
  const at = Number(cursor.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(at)) {
    throw new RangeError(`storage: invalid approval cursor ${JSON.stringify(cursor)}`);
  }
  return { at, id: cursor.slice(colon + 1) };
}

function toRecord(row: Selectable<ApprovalsTable>): ApprovalRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.status,
    integration: row.integration,
    operation: row.operation,
    channel: row.channel,
    requestId: row.request_id,
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    input: fromJson(row.input_redacted),
    preview: fromJson(row.preview),
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    reason: row.reason,
    waiterSeenAt: row.waiter_seen_at,
  };
}
