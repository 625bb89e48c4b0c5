import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordedRequest } from '../../types.js';

/** Why the fake refused a signature. */
export type SignatureRejection = 'missing_signature' | 'missing_timestamp' | 'stale_timestamp' | 'mismatch';

/** How far `X-Timestamp` may be from the fake's clock, either way. */
const TOLERANCE_MS = 300_000;

/**
 * Checks `X-HMAC-Signature` the way the payments API defines it, written here from that
 * definition and not from the client's signer, so a test proves the two agree:
 * lower-case hex HMAC-SHA256 of `{X-Timestamp}\n{METHOD}\n{path and query as sent}\n{raw body}`.
 */
export function checkSignature(
  req: RecordedRequest,
  secret: string,
  now: number,
): { ok: true } | { ok: false; reason: SignatureRejection } {
  const signature = req.headers['x-hmac-signature'];
  const timestamp = req.headers['x-timestamp'];
  if (typeof signature !== 'string' || signature === '') return { ok: false, reason: 'missing_signature' };
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'missing_timestamp' };
  }
  if (Math.abs(now - Number(timestamp) * 1000) > TOLERANCE_MS)
    return { ok: false, reason: 'stale_timestamp' };
  const expected = createHmac('sha256', secret)
    .update(`${timestamp}\n${req.method}\n${req.url}\n`)
    .update(req.body)
    .digest();
  const given = /^[0-9a-f]+$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: 'mismatch' };
}
