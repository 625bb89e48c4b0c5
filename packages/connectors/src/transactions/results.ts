import { z } from 'zod';
import type { WireDraft, WireTransaction } from './wire.js';

/** Seed 004's `get_transaction_status` result, amounts in integer minor units. */
export const TransactionStatus = z.object({
  transactionId: z.string(),
  /** pending, completed, failed or refunded. */
  status: z.string(),
  amount: z.int(),
  currency: z.string(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

/** One entry of a customer's history. */
export const TransactionSummary = z.object({
  transactionId: z.string(),
  status: z.string(),
  amount: z.int(),
  currency: z.string(),
  accountId: z.string().nullable(),
  description: z.string(),
  createdAt: z.string(),
});

/** A draft transaction: pending until committed (once) or cancelled; expires at `expiresAt`. */
export const Draft = z.object({
  draftId: z.string(),
  /** pending, committed, cancelled or expired. */
  status: z.string(),
  amount: z.int(),
  currency: z.string(),
  customerId: z.string(),
  accountId: z.string().nullable(),
  description: z.string(),
  metadata: z.record(z.string(), z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The transaction the commit made, once committed. */
  transactionId: z.string().nullable(),
});
export type Draft = z.output<typeof Draft>;

export function toTransactionStatus(t: WireTransaction): z.output<typeof TransactionStatus> {
  return {
    transactionId: t.id,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    createdAt: t.created_at,
    completedAt: t.completed_at,
  };
}

export function toTransactionSummary(t: WireTransaction): z.output<typeof TransactionSummary> {
  return {
    transactionId: t.id,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    accountId: t.account_id,
    description: t.description,
    createdAt: t.created_at,
  };
}

export function toDraft(d: WireDraft): Draft {
  return {
    draftId: d.id,
    status: d.status,
    amount: d.amount,
    currency: d.currency,
    customerId: d.customer_id,
    accountId: d.account_id,
    description: d.description,
    metadata: d.metadata,
    createdAt: d.created_at,
    expiresAt: d.expires_at,
    transactionId: d.transaction_id,
  };
}
