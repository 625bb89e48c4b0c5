import type { FakeResponse } from '../../types.js';
import type { DraftFields } from './payments-ledger.js';
import { paymentsError } from './payments-records.js';

const CURRENCY = /^[A-Z]{3}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a draft request body as the payments API does: `amount` a positive safe integer of
 * minor units (a float such as 12.5 is refused, never rounded), `currency` three upper-case
 * letters, `customer_id` (and `account_id`) short ids, `metadata` up to 50 string values.
 */
export function checkDraftBody(
  body: unknown,
): { ok: true; fields: DraftFields } | { ok: false; response: FakeResponse } {
  const invalid = (field: string, message: string) => ({
    ok: false as const,
    response: { status: 422, json: paymentsError('invalid_request', message, field) },
  });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('body', 'The body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.customer_id !== 'string' || !ID.test(b.customer_id)) {
    return invalid('customer_id', 'customer_id must be an id of 1 to 64 letters, digits, _ or -');
  }
  if (
    b.account_id !== undefined &&
    b.account_id !== null &&
    (typeof b.account_id !== 'string' || !ID.test(b.account_id))
  ) {
    return invalid('account_id', 'account_id must be an id of 1 to 64 letters, digits, _ or -');
  }
  if (typeof b.amount !== 'number' || !Number.isSafeInteger(b.amount) || b.amount <= 0) {
    return invalid('amount', 'amount must be a positive integer number of minor units');
  }
  if (typeof b.currency !== 'string' || !CURRENCY.test(b.currency)) {
    return invalid('currency', 'currency must be an ISO 4217 code of three upper-case letters');
  }
  if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > 500)) {
    return invalid('description', 'description must be a string of at most 500 characters');
  }
  const metadata = b.metadata ?? {};
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    Array.isArray(metadata) ||
    Object.keys(metadata).length > 50 ||
    Object.values(metadata).some((v) => typeof v !== 'string' || v.length > 500)
  ) {
    return invalid('metadata', 'metadata must be an object of at most 50 string values');
  }
  return {
    ok: true,
    fields: {
      customer_id: b.customer_id,
      account_id: (b.account_id as string | null | undefined) ?? null,
      amount: b.amount,
      currency: b.currency,
      description: (b.description as string | undefined) ?? '',
      metadata: metadata as Record<string, string>,
    },
  };
}
