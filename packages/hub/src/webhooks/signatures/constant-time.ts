import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC of the parts, in order, with no separator added (callers put separators in the parts). */
export function hmac(
  algorithm: 'sha256' | 'sha512' | 'sha1',
  key: string | Buffer,
  parts: readonly (string | Buffer)[],
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * True when any given signature equals any expected digest, compared in constant time
 * (`timingSafeEqual`). Lengths are compared first: a digest's length is fixed by its algorithm, so
 * that comparison leaks nothing. Every pair is compared, so the time does not tell which one matched.
 */
export function anyMatches(given: readonly Buffer[], expected: readonly Buffer[]): boolean {
  let matched = false;
  for (const signature of given) {
    for (const digest of expected) {
      if (signature.length === digest.length && timingSafeEqual(signature, digest)) matched = true;
    }
  }
  return matched;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function decodeHex(value: string): Buffer | undefined {
  return HEX.test(value) ? Buffer.from(value, 'hex') : undefined;
}

export function decodeBase64(value: string): Buffer | undefined {
  return BASE64.test(value) ? Buffer.from(value, 'base64') : undefined;
}
