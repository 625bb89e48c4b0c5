import { createHmac } from 'node:crypto';
import { verifyHmacSignature } from '@patchbay/core';
import { reject, type SignedRequest, singleHeader, VERIFIED, type Verification } from './verification.js';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, checked with core's
 * constant-time HMAC verifier against each secret (several during a rotation). GitHub signs
 * neither a timestamp nor the delivery id, so replays are refused by delivery id only.
 */
export function verifyGithub(secrets: readonly string[], request: SignedRequest): Verification {
  const { value: signature, repeated } = singleHeader(request.headers, GITHUB_SIGNATURE_HEADER);
  if (repeated) return reject('malformed_signature');
  if (signature === undefined) return reject('missing_signature');
  let reason: Verification = reject('mismatch');
  for (const secret of secrets) {
    const check = verifyHmacSignature({
      secret,
      signature,
      prefix: 'sha256=',
      parts: ['body'],
      method: request.method,
      path: request.url,
      body: request.body,
    });
    if (check.ok) return VERIFIED;
    reason = reject(check.reason === 'mismatch' ? 'mismatch' : 'malformed_signature');
  }
  return reason;
}

/** The `X-Hub-Signature-256` value for a body (the test route's sample). */
export function signGithub(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
