import type { FakeResponse } from '../../types.js';
import {
  type FakeDraft,
  type FakeTransaction,
  type FakeTransactionSeed,
  paymentsError,
  sequentialId,
} from './payments-records.js';

/** A draft request that passed validation. */
export type DraftFields = Pick<
  FakeDraft,
  'amount' | 'currency' | 'customer_id' | 'account_id' | 'description' | 'metadata'
>;

export interface HistoryQuery {
  customerId: string;
  accountId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  limit: number;
  /** Id of the last transaction of the previous page. */
  after: string | undefined;
}

/**
 * The fake's books: drafts, transactions, and how many times money actually moved (`charges`),
 * so a test can prove that a retried commit charged once.
 */
export class PaymentsLedger {
  readonly transactions = new Map<string, FakeTransaction>();
  readonly drafts = new Map<string, FakeDraft>();
  charges = 0;
  #nextTransaction = 1;
  #nextDraft = 1;

  constructor(
    private readonly now: () => number,
    private readonly draftTtlSeconds: number,
  ) {}

  seedTransaction(seed: FakeTransactionSeed): FakeTransaction {
    const created = seed.created_at ?? this.#iso();
    const status = seed.status ?? 'completed';
    const transaction: FakeTransaction = {
      id: sequentialId('txn', this.#nextTransaction++),
      object: 'transaction',
      status,
      amount: seed.amount,
      currency: seed.currency,
      customer_id: seed.customer_id,
      account_id: seed.account_id ?? null,
      description: seed.description ?? '',
      metadata: seed.metadata ?? {},
      draft_id: seed.draft_id ?? null,
      created_at: created,
      completed_at:
        seed.completed_at !== undefined ? seed.completed_at : status === 'completed' ? created : null,
    };
    this.transactions.set(transaction.id, transaction);
    return transaction;
  }

  createDraft(fields: DraftFields): FakeDraft {
    const now = this.now();
    const draft: FakeDraft = {
      id: sequentialId('drf', this.#nextDraft++),
      object: 'draft',
      status: 'pending',
      ...fields,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + this.draftTtlSeconds * 1000).toISOString(),
      transaction_id: null,
    };
    this.drafts.set(draft.id, draft);
    return draft;
  }

  /** The draft, its status brought up to date (a pending draft past its expiry is expired). */
  draft(id: string): FakeDraft | undefined {
    const draft = this.drafts.get(id);
    if (draft?.status === 'pending' && Date.parse(draft.expires_at) <= this.now()) draft.status = 'expired';
    return draft;
  }

  /** pending → committed, moving the money once; anything else is a 404 or a 409. */
  commit(id: string): FakeResponse {
    const draft = this.draft(id);
    if (!draft) return notFound('draft', id);
    if (draft.status === 'committed') {
      return conflict(
        'draft_already_committed',
        `Draft ${id} was already committed as ${draft.transaction_id}`,
      );
    }
    if (draft.status === 'cancelled')
      return conflict('draft_cancelled', `Draft ${id} is cancelled and cannot be committed`);
    if (draft.status === 'expired')
      return conflict('draft_expired', `Draft ${id} expired at ${draft.expires_at}`);
    const transaction = this.seedTransaction({
      amount: draft.amount,
      currency: draft.currency,
      customer_id: draft.customer_id,
      account_id: draft.account_id,
      description: draft.description,
      metadata: draft.metadata,
      draft_id: draft.id,
      status: 'completed',
    });
    draft.status = 'committed';
    draft.transaction_id = transaction.id;
    this.charges++;
    return { status: 201, json: transaction };
  }

  /** pending → cancelled; cancelling a cancelled draft answers it again. */
  cancel(id: string): FakeResponse {
    const draft = this.draft(id);
    if (!draft) return notFound('draft', id);
    if (draft.status === 'committed') {
      return conflict(
        'draft_already_committed',
        `Draft ${id} was committed as ${draft.transaction_id}; refund it instead`,
      );
    }
    if (draft.status === 'expired')
      return conflict('draft_expired', `Draft ${id} expired at ${draft.expires_at}`);
    draft.status = 'cancelled';
    return { status: 200, json: draft };
  }

  /** A customer's transactions, newest first, filtered and paged. */
  history(query: HistoryQuery): { page: FakeTransaction[]; hasMore: boolean } | undefined {
    const all = [...this.transactions.values()]
      .filter((t) => t.customer_id === query.customerId)
      .filter((t) => query.accountId === undefined || t.account_id === query.accountId)
      .filter((t) => query.from === undefined || Date.parse(t.created_at) >= Date.parse(query.from))
      .filter((t) => query.to === undefined || Date.parse(t.created_at) <= Date.parse(query.to))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    let start = 0;
    if (query.after !== undefined) {
      const index = all.findIndex((t) => t.id === query.after);
      if (index < 0) return undefined;
      start = index + 1;
    }
    return { page: all.slice(start, start + query.limit), hasMore: start + query.limit < all.length };
  }

  #iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function notFound(what: string, id: string): FakeResponse {
  return { status: 404, json: paymentsError('not_found', `No ${what} ${id}`) };
}

function conflict(code: string, message: string): FakeResponse {
  return { status: 409, json: paymentsError(code, message) };
}
