import {
  computeHmacSignature,
  type HmacAlgorithm,
  type HmacEncoding,
  type HmacPart,
  verifyHmacSignature,
} from '@patchbay/core';
import { reject, type SignedRequest, singleHeader, VERIFIED, type Verification } from './verification.js';

/** A generic HMAC scheme, as a source configures it. */
export interface GenericHmacSettings {
  /** Header carrying the signature. @example 'x-signature' */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: HmacEncoding;
  /** Written before the digest. @example 'sha256=' */
  prefix: string;
  /** What is signed, joined by `separator` (core's HMAC scheme). @example ['timestamp', 'body'] */
  parts: readonly HmacPart[];
  separator: string;
  /** Header carrying the Unix-seconds timestamp, needed when `parts` include it. */
  timestampHeader?: string | undefined;
}

/** Verifies a generic HMAC signature with core's constant-time verifier, trying each secret. */
export function verifyGenericHmac(
  secrets: readonly string[],
  settings: GenericHmacSettings,
  request: SignedRequest,
  toleranceMs: number,
): Verification {
  const signature = singleHeader(request.headers, settings.header);
  const stamp = settings.timestampHeader
    ? singleHeader(request.headers, settings.timestampHeader)
    : undefined;
  if (signature.repeated || stamp?.repeated) return reject('malformed_signature');
  if (signature.value === undefined) return reject('missing_signature');
  let reason: Verification = reject('mismatch');
  for (const secret of secrets) {
    const check = verifyHmacSignature({
      secret,
      signature: signature.value,
      algorithm: settings.algorithm,
      encoding: settings.encoding,
      prefix: settings.prefix,
      parts: settings.parts,
      separator: settings.separator,
      method: request.method,
      path: request.url,
      timestamp: stamp?.value,
      body: request.body,
      toleranceMs,
      now: request.now,
    });
    if (check.ok) return VERIFIED;
    // The timestamp and the format do not depend on the secret: the first answer is the answer.
    if (check.reason !== 'mismatch') return reject(check.reason);
    reason = reject('mismatch');
  }
  return reason;
}

/** The headers a generic HMAC sender would add (the test route's sample). */
export function signGenericHmac(
  secret: string,
  settings: GenericHmacSettings,
  request: { method: string; url: string; body: string; timestamp: string },
): Record<string, string> {
  const headers: Record<string, string> = {
    [settings.header]: computeHmacSignature(
      {
        secret,
        algorithm: settings.algorithm,
        encoding: settings.encoding,
        prefix: settings.prefix,
        parts: settings.parts,
        separator: settings.separator,
      },
      { method: request.method, path: request.url, timestamp: request.timestamp, body: request.body },
    ),
  };
  if (settings.timestampHeader) headers[settings.timestampHeader] = request.timestamp;
  return headers;
}
