import { randomBytes } from 'node:crypto';
import { anyMatches, decodeBase64, hmac } from './constant-time.js';
import {
  checkTimestamp,
  reject,
  type SignedRequest,
  singleHeader,
  VERIFIED,
  type Verification,
} from './verification.js';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

const SECRET_PREFIX = 'whsec_';

/**
 * The key bytes of a Standard Webhooks secret: `whsec_<base64>` (the prefix is optional, as in the
 * reference libraries). Throws a TypeError for anything else, so a bad secret fails at configuration.
 */
export function standardWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  if (!key || key.length < 16) {
    throw new TypeError('a Standard Webhooks secret is whsec_ followed by base64 of at least 16 bytes');
  }
  return key;
}

/** A new random secret: `whsec_` and 32 random bytes in base64 (what Svix and the spec generate). */
export function generateStandardWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` value for a message: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`,
 * one per secret, space-separated (two during a rotation, so a receiver holding either verifies).
 */
export function signStandardWebhook(
  secrets: readonly string[],
  id: string,
  timestamp: string,
  body: string | Buffer,
): string {
  return secrets
    .map(
      (secret) =>
        `v1,${hmac('sha256', standardWebhookKey(secret), [`${id}.${timestamp}.`, body]).toString('base64')}`,
    )
    .join(' ');
}

/**
 * Standard Webhooks (Svix): `webhook-id`, `webhook-timestamp` and `webhook-signature`, the last a
 * space-separated list of `v1,<base64>` entries (other versions ignored). Any entry matching any
 * of our secrets verifies; the timestamp must be within `toleranceMs` of now.
 */
export function verifyStandardWebhook(
  secrets: readonly string[],
  request: SignedRequest,
  toleranceMs: number,
): Verification {
  const id = singleHeader(request.headers, WEBHOOK_ID_HEADER);
  const stamp = singleHeader(request.headers, WEBHOOK_TIMESTAMP_HEADER);
  const signature = singleHeader(request.headers, WEBHOOK_SIGNATURE_HEADER);
  if (id.repeated || stamp.repeated || signature.repeated) return reject('malformed_signature');
  if (signature.value === undefined) return reject('missing_signature');
  if (id.value === undefined) return reject('malformed_signature');
  const stale = checkTimestamp(stamp.value, request.now, toleranceMs);
  if (stale) return reject(stale);
  const given: Buffer[] = [];
  for (const entry of signature.value.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 1 || entry.slice(0, comma) !== 'v1') continue;
    const decoded = decodeBase64(entry.slice(comma + 1));
    if (decoded) given.push(decoded);
  }
  if (given.length === 0) return reject('malformed_signature');
  const signed = `${id.value}.${stamp.value}.`;
  const expected = secrets.map((secret) =>
    hmac('sha256', standardWebhookKey(secret), [signed, request.body]),
  );
  return anyMatches(given, expected) ? VERIFIED : reject('mismatch');
}
