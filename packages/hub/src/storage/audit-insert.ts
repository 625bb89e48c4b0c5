import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { HubSchema } from './schema.js';

/** An audit row as inserted (`seq` comes from the database). */
export interface AuditInsertRow {
  at: number;
  request_id: string | null;
  token_id: string | null;
  integration: string;
  operation: string;
  outcome: string;
  error_type: string | null;
  duration_ms: number;
  input_redacted: string | null;
  prev_hash: string;
  hash: string;
}

/** The inserted columns, in the order of the statement's parameters. */
const COLUMNS = [
  'at',
  'request_id',
  'token_id',
  'integration',
  'operation',
  'outcome',
  'error_type',
  'duration_ms',
  'input_redacted',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditInsertRow)[];

/** Rows per statement at most (a power of two; SQLite allows 32766 parameters, 11 per row). */
const MAX_ROWS_PER_STATEMENT = 256;

/**
 * Inserts audit rows with `INSERT … VALUES (…), (…) RETURNING seq` statements whose SQL is built
 * once per row count and kept. A batch is cut into power-of-two chunks (180 rows: 128 + 32 + 16 +
 * 4), so at most nine statements (1 … 256 rows) are ever compiled, and a batch costs no query
 * building: building and compiling the statement through the query builder on every group commit
 * was about a third of the audit log's CPU time per row.
 */
export class AuditInserter {
  private readonly statements = new Map<number, string>();

  constructor(private readonly db: Kysely<HubSchema>) {}

  /** Inserts `rows` in order inside `trx`; resolves to their `seq`s, ascending. */
  async insert(trx: Transaction<HubSchema>, rows: readonly AuditInsertRow[]): Promise<number[]> {
    const seqs: number[] = [];
    let offset = 0;
    while (offset < rows.length) {
      const count = chunkSize(rows.length - offset);
      const parameters: unknown[] = new Array(count * COLUMNS.length);
      let p = 0;
      for (let i = offset; i < offset + count; i++) {
        const row = rows[i] as AuditInsertRow;
        for (const column of COLUMNS) parameters[p++] = row[column];
      }
      const result = await trx.executeQuery<{ seq: number }>(CompiledQuery.raw(this.sql(count), parameters));
      for (const r of result.rows) seqs.push(Number(r.seq));
      offset += count;
    }
    return seqs.sort((a, b) => a - b);
  }

  /** The statement for `count` rows, compiled by the dialect's own compiler the first time. */
  private sql(count: number): string {
    let text = this.statements.get(count);
    if (text === undefined) {
      const placeholderRow = Object.fromEntries(COLUMNS.map((c) => [c, null])) as unknown as AuditInsertRow;
      const compiled = this.db
        .insertInto('audit_log')
        .values(new Array<AuditInsertRow>(count).fill(placeholderRow))
        .returning('seq')
        .compile();
      if (compiled.parameters.length !== count * COLUMNS.length) {
        throw new Error(`storage: audit insert compiled to ${compiled.parameters.length} parameters`);
      }
      text = compiled.sql;
      this.statements.set(count, text);
    }
    return text;
  }
}

/** The largest power of two not above `left`, capped at {@link MAX_ROWS_PER_STATEMENT}. */
function chunkSize(left: number): number {
  if (left >= MAX_ROWS_PER_STATEMENT) return MAX_ROWS_PER_STATEMENT;
  return 2 ** Math.floor(Math.log2(left));
}
