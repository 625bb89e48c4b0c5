import type { ResponseHeaders } from '../../http/types.js';
import { parseRetryAfter } from '../retry-after.js';
import { firstValue, parseCount, parseDeltaSeconds, parseResetTime, type ResetFormat } from './reset-time.js';
import { type BareItem, type FieldMember, parseFieldMembers } from './structured-field.js';

/** Which family of headers a quota reading came from. */
export type QuotaSource =
  /** `X-RateLimit-Limit/Remaining/Reset/Reset-After` (GitHub, Jira, Discord, most APIs). */
  | 'x-ratelimit'
  /** The IETF draft's older trio `RateLimit-Limit/Remaining/Reset`. */
  | 'ratelimit-trio'
  /** The IETF structured field `RateLimit` (with `RateLimit-Policy` for the limit). */
  | 'ratelimit';

/** What one upstream header family said about one quota. Every field is optional: upstreams say what they say. */
export interface QuotaReading {
  source: QuotaSource;
  /** The IETF policy name (`"default"`), when given. */
  name?: string;
  limit?: number;
  remaining?: number;
  /** When the quota resets, epoch ms on our wall clock. */
  resetAt?: number;
  /** How the reset was written, when it was an `X-RateLimit-Reset`-style value. */
  resetFormat?: ResetFormat;
}

/** Everything a response said about rate limits, read by {@link readUpstreamSignal}. */
export interface UpstreamSignal {
  /** `Retry-After` in ms from now, when present and well formed. */
  retryAfterMs: number | undefined;
  quotas: QuotaReading[];
}

/**
 * Reads every rate-limit header a response may carry. Pure and total: a malformed header is
 * left out, never thrown about. Header names must be lower-case (as undici gives them).
 * @example
 * readUpstreamSignal({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000060' }, 1_700_000_000_000)
 * // { retryAfterMs: undefined, quotas: [{ source: 'x-ratelimit', remaining: 0, resetAt: 1_700_000_060_000, … }] }
 */
export function readUpstreamSignal(headers: ResponseHeaders, wallNow: number): UpstreamSignal {
  const quotas: QuotaReading[] = [];
  const x = readXRateLimit(headers, wallNow);
  if (x) quotas.push(x);
  const trio = readRateLimitTrio(headers, wallNow);
  if (trio) quotas.push(trio);
  quotas.push(...readRateLimitField(headers, wallNow));
  return { retryAfterMs: parseRetryAfter(headers['retry-after'], wallNow), quotas };
}

function readXRateLimit(headers: ResponseHeaders, wallNow: number): QuotaReading | undefined {
  // Reset-After (Discord) is relative, so immune to clock skew: it wins over an absolute Reset.
  const resetAfter = parseDeltaSeconds(headers['x-ratelimit-reset-after'], wallNow);
  const reset = parseResetTime(headers['x-ratelimit-reset'], wallNow);
  return reading('x-ratelimit', {
    limit: parseCount(headers['x-ratelimit-limit']),
    remaining: parseCount(headers['x-ratelimit-remaining']),
    resetAt: resetAfter ?? reset?.at,
    resetFormat: resetAfter === undefined ? reset?.format : 'delta-seconds',
  });
}

function readRateLimitTrio(headers: ResponseHeaders, wallNow: number): QuotaReading | undefined {
  // Early drafts allowed `RateLimit-Limit: 100, 100;w=60`: the first member is the limit.
  const limitMember = fieldMembers(headers['ratelimit-limit'])?.[0];
  const reset = parseResetTime(headers['ratelimit-reset'], wallNow);
  return reading('ratelimit-trio', {
    limit: limitMember ? count(limitMember.item) : undefined,
    remaining: parseCount(headers['ratelimit-remaining']),
    resetAt: reset?.at,
    resetFormat: reset?.format,
  });
}

/**
 * `RateLimit` in both structured shapes: draft 07's Dictionary (`limit=10, remaining=0, reset=30`)
 * and the later List of named policies (`"default";r=0;t=30`), whose limits come from
 * `RateLimit-Policy` (`"default";q=100;w=60`).
 */
function readRateLimitField(headers: ResponseHeaders, wallNow: number): QuotaReading[] {
  const members = fieldMembers(headers.ratelimit);
  if (!members) return [];
  const at = (seconds: number | undefined) =>
    seconds === undefined ? undefined : parseDeltaSeconds(String(seconds), wallNow);

  const dictionary = new Map(members.filter((m) => m.key !== undefined).map((m) => [m.key, m.item]));
  if (dictionary.has('remaining') || dictionary.has('limit') || dictionary.has('reset')) {
    const one = reading('ratelimit', {
      limit: count(dictionary.get('limit')),
      remaining: count(dictionary.get('remaining')),
      resetAt: at(count(dictionary.get('reset'))),
    });
    return one ? [one] : [];
  }

  const quotas = new Map<string, number>();
  for (const policy of fieldMembers(headers['ratelimit-policy']) ?? []) {
    const name = memberName(policy);
    const quota = count(policy.params.q);
    if (name !== undefined && quota !== undefined) quotas.set(name, quota);
  }
  const out: QuotaReading[] = [];
  for (const member of members) {
    const name = memberName(member);
    const remaining = count(member.params.r);
    if (remaining === undefined) continue; // `r` is what makes it a reading at all
    const one = reading('ratelimit', {
      name,
      limit: name === undefined ? undefined : quotas.get(name),
      remaining,
      resetAt: at(count(member.params.t)),
    });
    if (one) out.push(one);
  }
  return out;
}

function fieldMembers(value: string | string[] | undefined): FieldMember[] | undefined {
  // A structured List may be split over several header lines; RFC 9651 joins them with commas.
  const text = Array.isArray(value) ? value.join(', ') : firstValue(value);
  return text === undefined ? undefined : parseFieldMembers(text);
}

function memberName(member: FieldMember): string | undefined {
  return typeof member.item === 'string' ? member.item : member.key;
}

function count(item: BareItem | undefined): number | undefined {
  return typeof item === 'number' && Number.isSafeInteger(item) && item >= 0 ? item : undefined;
}

/** A reading with only its defined fields, or `undefined` when the upstream said nothing. */
function reading(source: QuotaSource, fields: Omit<QuotaReading, 'source'>): QuotaReading | undefined {
  const { name, limit, remaining, resetAt, resetFormat } = fields;
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  const out: QuotaReading = { source };
  if (name !== undefined) out.name = name;
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  if (resetAt !== undefined) out.resetAt = resetAt;
  if (resetAt !== undefined && resetFormat !== undefined) out.resetFormat = resetFormat;
  return out;
}
