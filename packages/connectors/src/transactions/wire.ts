import { z } from 'zod';

/**
 * The payments API's JSON, as far as this connector reads it (format: see `FakeTransactions` in
 * @patchbay/testing). Money fields are checked as strictly on the way in as on the way out: an
 * amount that is not an integer of minor units is an `INVALID_OUTPUT` error, never passed on.
 */
export const WireTransaction = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  customer_id: z.string(),
  account_id: z.string().nullable().default(null),
  description: z.string().default(''),
  draft_id: z.string().nullable().default(null),
  created_at: z.string(),
  completed_at: z.string().nullable().default(null),
});
export type WireTransaction = z.output<typeof WireTransaction>;

export const WireHistory = z.object({
  transactions: z.array(WireTransaction),
  next_cursor: z.string().nullable(),
});

export const WireDraft = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  customer_id: z.string(),
  account_id: z.string().nullable().default(null),
  description: z.string().default(''),
  metadata: z.record(z.string(), z.string()).default({}),
  created_at: z.string(),
  expires_at: z.string(),
  transaction_id: z.string().nullable().default(null),
});
export type WireDraft = z.output<typeof WireDraft>;
