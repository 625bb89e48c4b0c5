import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { HubSchema, SqlDialect } from './schema.js';

/** The columns a leased work queue has (webhook deliveries, the outbox). */
interface LeasedRow {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_token: string | null;
  lease_until: number | null;
}

type LeasedTables = 'webhook_deliveries' | 'webhook_outbox';
type LeaseSchema = Record<LeasedTables, LeasedRow>;

/**
 * Claims up to `limit` pending rows of a leased queue that are due and not leased (or whose lease
 * ran out), counting an attempt on each, in ONE atomic UPDATE: two workers, in one process or
 * several, never hold the same row (PostgreSQL skips rows another claimer has locked and re-checks
 * the lease on the row it locks). Returns the claimed rows, whole.
 */
export async function claimDueRows<Row>(
  db: Kysely<HubSchema>,
  table: LeasedTables,
  dialect: SqlDialect,
  options: { now: number; limit: number; leaseMs: number },
): Promise<Row[]> {
  const { now, limit, leaseMs } = options;
  const leased = db as unknown as Kysely<LeaseSchema>;
  const rows = await leased
    .updateTable(table)
    .set((eb) => ({
      lease_token: randomUUID(),
      lease_until: now + leaseMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom(table)
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .where('status', '=', 'pending')
    .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
    .returningAll()
    .execute();
  return rows as unknown as Row[];
}

/** Claims one pending row now, due or not (a test delivery, a replay); `undefined` if held or finished. */
export async function claimRowById<Row>(
  db: Kysely<HubSchema>,
  table: LeasedTables,
  options: { id: string; now: number; leaseMs: number },
): Promise<Row | undefined> {
  const { id, now, leaseMs } = options;
  const row = await (db as unknown as Kysely<LeaseSchema>)
    .updateTable(table)
    .set((eb) => ({
      lease_token: randomUUID(),
      lease_until: now + leaseMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  return row as unknown as Row | undefined;
}
