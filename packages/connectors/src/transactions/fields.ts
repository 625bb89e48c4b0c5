import { z } from 'zod';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const idField = (what: string) =>
  z.string().regex(ID, `must be a ${what} id: 1 to 64 letters, digits, _ or -`);

export const TransactionId = idField('transaction');
export const DraftId = idField('draft');
export const CustomerId = idField('customer');
export const AccountId = idField('account');

/**
 * Money in integer minor units (cents for USD, yen for JPY): 12.50 USD is `1250`. A float, a
 * string or an unsafe integer is refused, never rounded.
 */
export const MinorUnits = z.int().positive();

/** ISO 4217 alphabetic code, upper case. @example 'USD' */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three upper-case letters');

/** String values only, so amounts cannot hide in metadata as floats. */
export const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys');
