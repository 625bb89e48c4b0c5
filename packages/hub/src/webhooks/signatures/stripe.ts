import { anyMatches, decodeHex, hmac } from './constant-time.js';
import {
  checkTimestamp,
  reject,
  type SignedRequest,
  singleHeader,
  VERIFIED,
  type Verification,
} from './verification.js';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/**
 * Stripe-style `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: HMAC-SHA256 of
 * `"<t>.<body>"`. Several `v1` entries (Stripe sends one per active secret during a rotation) and
 * several secrets of ours are all tried; other schemes (`v0`) are ignored.
 */
export function verifyStripe(
  secrets: readonly string[],
  request: SignedRequest,
  toleranceMs: number,
): Verification {
  const { value: header, repeated } = singleHeader(request.headers, STRIPE_SIGNATURE_HEADER);
  if (repeated) return reject('malformed_signature');
  if (header === undefined) return reject('missing_signature');
  let stamp: string | undefined;
  const given: Buffer[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 1) return reject('malformed_signature');
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') stamp = value;
    else if (key === 'v1') {
      const decoded = decodeHex(value);
      if (decoded) given.push(decoded);
    }
  }
  const stale = checkTimestamp(stamp, request.now, toleranceMs);
  if (stale) return reject(stale);
  if (given.length === 0) return reject('malformed_signature');
  const expected = secrets.map((secret) => hmac('sha256', secret, [`${stamp}.`, request.body]));
  return anyMatches(given, expected) ? VERIFIED : reject('mismatch');
}

/** A `Stripe-Signature` value with one `v1` per secret. */
export function signStripe(secrets: readonly string[], timestamp: string, body: string | Buffer): string {
  const v1 = secrets.map((secret) => `v1=${hmac('sha256', secret, [`${timestamp}.`, body]).toString('hex')}`);
  return [`t=${timestamp}`, ...v1].join(',');
}
