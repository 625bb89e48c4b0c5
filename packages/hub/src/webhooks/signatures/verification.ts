/**
 * Why a delivery was refused. Counted per source in `patchbay_webhook_rejections_total` and logged;
 * never sent to the sender (a 401 says only that the signature did not verify).
 */
export type RejectionReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'mismatch'
  | 'missing_timestamp'
  | 'stale_timestamp'
  | 'missing_delivery_id'
  | 'invalid_body'
  | 'body_too_large'
  | 'unknown_source'
  | 'disabled_source'
  | 'no_secret';

/** The reasons a signature check itself can give. */
export type SignatureRejection = Extract<
  RejectionReason,
  'missing_signature' | 'malformed_signature' | 'mismatch' | 'missing_timestamp' | 'stale_timestamp'
>;

export type Verification = { ok: true } | { ok: false; reason: SignatureRejection };

/** A received request as the verifiers see it: raw bytes, never a re-serialized body. */
export interface SignedRequest {
  /** Lower-case header names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  method: string;
  /** The path with its query string, as received. */
  url: string;
  /** Epoch ms to judge timestamps against. */
  now: number;
}

export const VERIFIED: Verification = { ok: true };
export const reject = (reason: SignatureRejection): Verification => ({ ok: false, reason });

/**
 * One header's value; `undefined` when absent, and also when repeated (two signature headers are
 * an attempt to smuggle one past a proxy, not something to pick from).
 */
export function singleHeader(
  headers: SignedRequest['headers'],
  name: string,
): { value: string | undefined; repeated: boolean } {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return { value: undefined, repeated: true };
  return { value: value === '' ? undefined : value, repeated: false };
}

const SECONDS = /^\d{1,15}$/;

/**
 * Checks a Unix-seconds timestamp against `now` ± `toleranceMs` (both ways: a clock ahead of ours
 * is as suspicious as a replay).
 */
export function checkTimestamp(
  stamp: string | undefined,
  now: number,
  toleranceMs: number,
): SignatureRejection | undefined {
  if (stamp === undefined || !SECONDS.test(stamp)) return 'missing_timestamp';
  return Math.abs(now - Number(stamp) * 1000) > toleranceMs ? 'stale_timestamp' : undefined;
}
