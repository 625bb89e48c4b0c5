const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

// RFC 9110 §5.6.7: the three HTTP-date forms a recipient must accept.
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Parses an HTTP-date in any of its three forms into epoch milliseconds, strictly: anything
 * else (including what `Date.parse` would guess at) is `undefined`.
 */
export function parseHttpDate(value: string, wallNow: number = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = RFC850_DATE.exec(value);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const yy = Number(m[3]);
    const thisYear = new Date(wallNow).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + yy;
    if (year > thisYear + 50) year -= 100;
    return utc(String(year), m[2], m[1], m[4], m[5], m[6]);
  }
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(m[6], m[1], m[2]?.trim(), m[3], m[4], m[5]);
  return undefined;
}

function utc(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hh: string | undefined,
  mm: string | undefined,
  ss: string | undefined,
): number | undefined {
  const monthIndex = month === undefined ? undefined : MONTHS[month];
  if (monthIndex === undefined) return undefined;
  const d = Number(day);
  const h = Number(hh);
  const min = Number(mm);
  const s = Number(ss);
  if (d < 1 || d > 31 || h > 23 || min > 59 || s > 60) return undefined;
  const ms = Date.UTC(Number(year), monthIndex, d, h, min, s);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * `Retry-After` as milliseconds to wait from now: delay-seconds or an HTTP-date. A date in the
 * past is 0. Garbage (negative, fractional, words, an unknown date form) is `undefined`: ignored,
 * never fatal.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  wallNow: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  const at = parseHttpDate(text, wallNow);
  return at === undefined ? undefined : Math.max(0, at - wallNow);
}
