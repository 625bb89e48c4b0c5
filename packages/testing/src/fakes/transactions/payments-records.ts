/** A committed (or seeded) transaction, as the fake payments API stores and returns it. */
export interface FakeTransaction {
  id: string;
  object: 'transaction';
  /** Commits produce `completed`; seeds may hold any status. */
  status: 'pending' | 'completed' | 'failed' | 'refunded';
  /** Integer minor units (cents for USD). */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  customer_id: string;
  account_id: string | null;
  description: string;
  metadata: Record<string, string>;
  draft_id: string | null;
  created_at: string;
  completed_at: string | null;
}

/** A draft: created `pending`, then `committed` (once) or `cancelled`; `expired` after its ttl. */
export interface FakeDraft {
  id: string;
  object: 'draft';
  status: 'pending' | 'committed' | 'cancelled' | 'expired';
  amount: number;
  currency: string;
  customer_id: string;
  account_id: string | null;
  description: string;
  metadata: Record<string, string>;
  created_at: string;
  expires_at: string;
  transaction_id: string | null;
}

/** What a test seeds: the parts of a transaction it cares about. */
export type FakeTransactionSeed = Pick<FakeTransaction, 'amount' | 'currency' | 'customer_id'> &
  Partial<Omit<FakeTransaction, 'id' | 'object' | 'amount' | 'currency' | 'customer_id'>>;

/** The payments API's error body: `{"error":{"code","message","field"?}}`. */
export function paymentsError(code: string, message: string, field?: string) {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
}

/** `txn_000001`, `drf_000001`: readable, sortable, deterministic ids. */
export function sequentialId(prefix: string, n: number): string {
  return `${prefix}_${String(n).padStart(6, '0')}`;
}
