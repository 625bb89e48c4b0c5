import { anyMatches, decodeHex, hmac } from './constant-time.js';
import {
  checkTimestamp,
  reject,
  type SignedRequest,
  singleHeader,
  VERIFIED,
  type Verification,
} from './verification.js';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';

/**
 * Slack's `v0` scheme: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">` with
 * the timestamp from `X-Slack-Request-Timestamp`, refused outside `toleranceMs` of now.
 */
export function verifySlack(
  secrets: readonly string[],
  request: SignedRequest,
  toleranceMs: number,
): Verification {
  const signature = singleHeader(request.headers, SLACK_SIGNATURE_HEADER);
  const stamp = singleHeader(request.headers, SLACK_TIMESTAMP_HEADER);
  if (signature.repeated || stamp.repeated) return reject('malformed_signature');
  if (signature.value === undefined) return reject('missing_signature');
  const stale = checkTimestamp(stamp.value, request.now, toleranceMs);
  if (stale) return reject(stale);
  if (!signature.value.startsWith('v0=')) return reject('malformed_signature');
  const given = decodeHex(signature.value.slice(3));
  if (!given) return reject('malformed_signature');
  const expected = secrets.map((secret) => hmac('sha256', secret, [`v0:${stamp.value}:`, request.body]));
  return anyMatches([given], expected) ? VERIFIED : reject('mismatch');
}

/** The `X-Slack-Signature` value for a body (the test route's sample, and tests of receivers). */
export function signSlack(secret: string, timestamp: string, body: string | Buffer): string {
  return `v0=${hmac('sha256', secret, [`v0:${timestamp}:`, body]).toString('hex')}`;
}
