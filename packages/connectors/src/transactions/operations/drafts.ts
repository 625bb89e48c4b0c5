import { z } from 'zod';
import { defineTransactionsOperation } from '../define-transactions-operation.js';
import { AccountId, Currency, CustomerId, DraftId, Metadata, MinorUnits } from '../fields.js';
import { readWire } from '../read-wire.js';
import { Draft, toDraft } from '../results.js';
import { paymentsRequest } from '../transactions-errors.js';
import { WireDraft } from '../wire.js';

/** Seed 004's `create_draft_transaction`: nothing is charged until `commit_draft`. */
export const createDraft = defineTransactionsOperation({
  description: 'Create a draft transaction (not charged until committed); amount in integer minor units',
  input: z.object({
    customerId: CustomerId,
    accountId: AccountId.optional(),
    /** Integer minor units: 12.50 USD is 1250. */
    amount: MinorUnits,
    currency: Currency,
    description: z.string().min(1).max(500),
    metadata: Metadata.optional(),
  }),
  output: Draft,
  kind: 'write',
  async run(ctx, input) {
    const json = {
      customer_id: input.customerId,
      ...(input.accountId === undefined ? {} : { account_id: input.accountId }),
      amount: input.amount,
      currency: input.currency,
      description: input.description,
      metadata: input.metadata ?? {},
    };
    const body = await paymentsRequest(ctx.http.post('/transactions/drafts', { json }));
    return toDraft(readWire(WireDraft, body, ctx));
  },
});

export const getDraft = defineTransactionsOperation({
  description: 'Get a draft transaction and its status (pending, committed, cancelled, expired)',
  input: z.object({ draftId: DraftId }),
  output: Draft,
  kind: 'read',
  async run(ctx, { draftId }) {
    const body = await paymentsRequest(ctx.http.get(`/transactions/drafts/${draftId}`));
    return toDraft(readWire(WireDraft, body, ctx));
  },
});

/** Seed 004's `cancel_draft`. */
export const cancelDraft = defineTransactionsOperation({
  description: 'Cancel a pending draft transaction; a committed one cannot be cancelled',
  input: z.object({ draftId: DraftId }),
  output: Draft,
  kind: 'write',
  // Cancelling a cancelled draft answers it again: safe to retry.
  idempotent: true,
  async run(ctx, { draftId }) {
    const body = await paymentsRequest(ctx.http.post(`/transactions/drafts/${draftId}/cancel`));
    return toDraft(readWire(WireDraft, body, ctx));
  },
});
