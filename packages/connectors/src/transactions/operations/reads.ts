import { z } from 'zod';
import { defineTransactionsOperation } from '../define-transactions-operation.js';
import { AccountId, CustomerId, TransactionId } from '../fields.js';
import { readWire } from '../read-wire.js';
import {
  TransactionStatus,
  TransactionSummary,
  toTransactionStatus,
  toTransactionSummary,
} from '../results.js';
import { paymentsRequest } from '../transactions-errors.js';
import { WireHistory, WireTransaction } from '../wire.js';

/** Seed 004's `get_transaction_status`, cached 2 minutes. */
export const getTransactionStatus = defineTransactionsOperation({
  description: 'Get the status and amount of a transaction (cached 2 minutes)',
  input: z.object({ transactionId: TransactionId }),
  output: TransactionStatus,
  kind: 'read',
  cache: { ttl: 120 },
  async run(ctx, { transactionId }) {
    const body = await paymentsRequest(ctx.http.get(`/transactions/${transactionId}`));
    return toTransactionStatus(readWire(WireTransaction, body, ctx));
  },
});

const Instant = z.iso.datetime({ offset: true });

const HistoryInput = z
  .object({
    customerId: CustomerId,
    /** Only this account's transactions. */
    accountId: AccountId.optional(),
    /** Created at or after. @example '2026-01-01T00:00:00Z' */
    from: Instant.optional(),
    /** Created at or before. */
    to: Instant.optional(),
    /** @default 10 */
    limit: z.int().min(1).max(100).default(10),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(512).optional(),
  })
  .refine((i) => i.from === undefined || i.to === undefined || Date.parse(i.from) <= Date.parse(i.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

/** Seed 004's `get_transaction_history`, cached 5 minutes. */
export const getTransactionHistory = defineTransactionsOperation({
  description: "List a customer's transactions, newest first, in a date range (cached 5 minutes)",
  input: HistoryInput,
  output: z.object({ transactions: z.array(TransactionSummary), nextCursor: z.string().nullable() }),
  kind: 'read',
  cache: { ttl: 300 },
  async run(ctx, input) {
    const params = {
      limit: input.limit,
      cursor: input.cursor,
      from: input.from,
      to: input.to,
      account_id: input.accountId,
    };
    const body = await paymentsRequest(
      ctx.http.get(`/customers/${input.customerId}/transactions`, { params }),
    );
    const page = readWire(WireHistory, body, ctx);
    return { transactions: page.transactions.map(toTransactionSummary), nextCursor: page.next_cursor };
  },
});
