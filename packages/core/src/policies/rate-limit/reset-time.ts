import { parseHttpDate } from '../retry-after.js';

/** How an upstream wrote a reset time, as {@link parseResetTime} detected it. */
export type ResetFormat = 'delta-seconds' | 'epoch-seconds' | 'epoch-ms' | 'iso-8601' | 'http-date';

export interface ResetTime {
  /** When the quota resets, epoch ms on our wall clock. */
  at: number;
  format: ResetFormat;
}

/**
 * The furthest ahead a reset may lie and still be believed. Daily quotas reset up to 24 h
 * ahead; a value further out is more likely a misread format than a real quota, and pausing an
 * integration for days on a guess is worse than one more 429.
 */
export const MAX_RESET_HORIZON_MS = 48 * 3_600_000;

// Below 1e9 a number cannot be an epoch in seconds of this century (1e9 s is 2001-09-09), and as
// a delta it would already be 31 years; likewise 1e12 for epoch milliseconds.
const EPOCH_SECONDS_FROM = 1e9;
const EPOCH_MS_FROM = 1e12;

const DECIMAL = /^\d+(?:\.\d+)?$/;
// A zone is required: `Date.parse` reads a zoneless ISO date-time as local time, a silent skew.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads an `X-RateLimit-Reset`-style value whose format the upstream does not announce:
 * epoch seconds (GitHub, Discord with decimals), epoch milliseconds, ISO-8601 with a zone
 * (Jira), an HTTP-date, or seconds from now (IETF drafts, many others). Numbers are told apart
 * by magnitude. Garbage, and anything more than {@link MAX_RESET_HORIZON_MS} ahead of `wallNow`,
 * is `undefined`: ignored, never fatal. A reset in the past is returned as is (it means "now").
 * @example
 * parseResetTime('1700000060', 1_700_000_000_000) // { at: 1_700_000_060_000, format: 'epoch-seconds' }
 * parseResetTime('30', 1_700_000_000_000)         // { at: 1_700_000_030_000, format: 'delta-seconds' }
 */
export function parseResetTime(value: string | string[] | undefined, wallNow: number): ResetTime | undefined {
  const text = firstValue(value);
  if (text === undefined) return undefined;
  let reset: ResetTime | undefined;
  if (DECIMAL.test(text)) {
    const n = Number(text);
    if (n >= EPOCH_MS_FROM) reset = { at: Math.ceil(n), format: 'epoch-ms' };
    else if (n >= EPOCH_SECONDS_FROM) reset = { at: Math.ceil(n * 1000), format: 'epoch-seconds' };
    else reset = { at: wallNow + Math.ceil(n * 1000), format: 'delta-seconds' };
  } else if (ISO_8601.test(text)) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) reset = { at, format: 'iso-8601' };
  } else {
    const at = parseHttpDate(text, wallNow);
    if (at !== undefined) reset = { at, format: 'http-date' };
  }
  return reset && plausible(reset.at, wallNow) ? reset : undefined;
}

/**
 * Seconds from now (`X-RateLimit-Reset-After`, the IETF `t` parameter), decimals allowed, as an
 * epoch-ms instant. Garbage or beyond the horizon is `undefined`.
 */
export function parseDeltaSeconds(value: string | string[] | undefined, wallNow: number): number | undefined {
  const text = firstValue(value);
  if (text === undefined || !DECIMAL.test(text)) return undefined;
  const at = wallNow + Math.ceil(Number(text) * 1000);
  return plausible(at, wallNow) ? at : undefined;
}

/** A non-negative integer header (`X-RateLimit-Remaining`), or `undefined` for anything else. */
export function parseCount(value: string | string[] | undefined): number | undefined {
  const text = firstValue(value);
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The first value of a header that may have been repeated, trimmed. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  return text === '' ? undefined : text;
}

function plausible(at: number, wallNow: number): boolean {
  return Number.isFinite(at) && at - wallNow <= MAX_RESET_HORIZON_MS;
}
