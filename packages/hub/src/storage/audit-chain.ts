import { hash } from 'node:crypto';

/** The `prev_hash` of the first row ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** The row fields a hash covers, exactly as stored. */
export interface ChainedFields {
  at: number;
  request_id: string | null;
  token_id: string | null;
  integration: string;
  operation: string;
  outcome: string;
  error_type: string | null;
  duration_ms: number;
  input_redacted: string | null;
}

/**
 * `sha256(prev_hash + canonical(fields))`, hex. The canonical form is a JSON array in a fixed field
 * order, over the stored values (JSON columns are TEXT, so no re-serialisation can differ), and
 * leaves `seq` out: the database assigns it, and the links between rows already pin the order.
 */
export function chainHash(prevHash: string, fields: ChainedFields): string {
  const canonical = JSON.stringify([
    fields.at,
    fields.request_id,
    fields.token_id,
    fields.integration,
    fields.operation,
    fields.outcome,
    fields.error_type,
    fields.duration_ms,
    fields.input_redacted,
  ]);
  // One-shot: the same bytes as update(prevHash).update(canonical), without a Hash object per row.
  return hash('sha256', prevHash + canonical, 'hex');
}

/** The chain's head as kept in the kv table: the last row's seq and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export function parseHead(value: string | undefined): ChainHead | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = JSON.parse(value) as Partial<ChainHead>;
  if (typeof parsed.seq !== 'number' || typeof parsed.hash !== 'string') {
    throw new Error(`storage: malformed audit chain head ${JSON.stringify(value)}`);
  }
  return { seq: parsed.seq, hash: parsed.hash };
}
