import { z } from 'zod';
import { defineTransactionsOperation } from '../define-transactions-operation.js';
import { DraftId } from '../fields.js';
import { readWire } from '../read-wire.js';
import { paymentsRequest } from '../transactions-errors.js';
import { WireTransaction } from '../wire.js';

/**
 * The idempotency key a commit carries when the caller gives none: one per draft, so every
 * attempt, retry or replay of committing a draft is the same request to the API, which applies
 * it once.
 */
export function commitIdempotencyKey(draftId: string): string {
  return `commit-draft-${draftId}`;
}

/**
 * Seed 004's `commit_transaction`. Sent with an `Idempotency-Key`: the `idempotencyKey` input
 * when given; else the caller's key for the call (`CallOptions.idempotencyKey`, the hub's
 * `Idempotency-Key` header), which the client puts in that header; else one derived from the
 * draft id. Declared idempotent, so a commit whose answer was lost (a reset connection) is
 * retried, and the API replays the first answer instead of charging again.
 */
export const commitDraft = defineTransactionsOperation({
  description: 'Commit (charge) a draft transaction, exactly once, with an idempotency key',
  input: z.object({
    draftId: DraftId,
    /** @default `commit-draft-${draftId}` (or the key given with the call) */
    idempotencyKey: z.string().min(1).max(255).optional(),
  }),
  output: z.object({
    transactionId: z.string(),
    draftId: z.string(),
    status: z.string(),
    amount: z.int(),
    currency: z.string(),
    /** True when the API answered from an earlier commit with the same key (nothing new charged). */
    replayed: z.boolean(),
  }),
  kind: 'write',
  idempotent: true,
  async run(ctx, { draftId, idempotencyKey }) {
    const options =
      idempotencyKey === undefined
        ? { json: { draft_id: draftId }, headers: { 'Idempotency-Key': commitIdempotencyKey(draftId) } }
        : { json: { draft_id: draftId }, idempotencyKey };
    const response = await paymentsRequest(
      ctx.http.request('POST', `/transactions/drafts/${draftId}/commit`, options),
    );
    const transaction = readWire(WireTransaction, response.body, ctx);
    return {
      transactionId: transaction.id,
      draftId: transaction.draft_id ?? draftId,
      status: transaction.status,
      amount: transaction.amount,
      currency: transaction.currency,
      replayed: response.headers['idempotent-replayed'] === 'true',
    };
  },
});
