import { timingSafeEqual } from 'node:crypto';
import { type HmacInput, type HmacScheme, hmacDigest, resolveScheme } from './hmac-scheme.js';

export interface VerifyHmacOptions extends HmacScheme, HmacInput {
  /** The signature header as received (an array when repeated: then it is refused). */
  signature: string | readonly string[] | undefined;
  /**
   * How far the timestamp may be from now, either way, when `parts` include `'timestamp'`.
   * @default 300_000 (5 minutes, as Slack and Stripe)
   */
  toleranceMs?: number;
  /** Epoch ms to judge the timestamp against. @default Date.now() */
  now?: number;
}

/** Why a signature was refused, for logs; never which byte differed. */
export type HmacRejection =
  | 'missing_signature'
  | 'malformed_signature'
  | 'mismatch'
  | 'missing_timestamp'
  | 'stale_timestamp';

export type HmacVerification = { ok: true } | { ok: false; reason: HmacRejection };

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks a request's HMAC signature in constant time (`timingSafeEqual` on the digests, whose
 * length is public), and its timestamp against `toleranceMs` to refuse replays.
 * @example
 * const check = verifyHmacSignature({
 *   secret, signature: req.headers['x-hmac-signature'], timestamp: req.headers['x-timestamp'],
 *   method: req.method, path: req.url, body: rawBody,
 * });
 * if (!check.ok) return reply.code(401).send({ error: check.reason });
 */
export function verifyHmacSignature(options: VerifyHmacOptions): HmacVerification {
  const scheme = resolveScheme(options);
  const { signature } = options;
  if (signature === undefined || signature === '') return { ok: false, reason: 'missing_signature' };
  if (typeof signature !== 'string') return { ok: false, reason: 'malformed_signature' };
  if (scheme.parts.includes('timestamp')) {
    const stamp = options.timestamp;
    if (stamp === undefined || !/^\d{1,15}$/.test(stamp)) return { ok: false, reason: 'missing_timestamp' };
    const skew = Math.abs((options.now ?? Date.now()) - Number(stamp) * 1000);
    if (skew > (options.toleranceMs ?? 300_000)) return { ok: false, reason: 'stale_timestamp' };
  }
  if (!signature.startsWith(scheme.prefix)) return { ok: false, reason: 'malformed_signature' };
  const encoded = signature.slice(scheme.prefix.length);
  const given = decode(encoded, scheme.encoding);
  if (!given) return { ok: false, reason: 'malformed_signature' };
  const expected = hmacDigest(scheme, options);
  // The digest length is fixed by the algorithm, so refusing another length early leaks nothing.
  if (given.length !== expected.length) return { ok: false, reason: 'malformed_signature' };
  return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

function decode(value: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  if (encoding === 'hex')
    return HEX.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : undefined;
  return BASE64.test(value) ? Buffer.from(value, 'base64') : undefined;
}
