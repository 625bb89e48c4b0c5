import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('12', NOW)).toBe(12_000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3_000);
  });

  it('reads all three HTTP-date forms as the time left until then', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Monday, 23-Nov-26 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Mon Nov 23 12:00:05 2026', NOW)).toBe(5_000);
    expect(parseRetryAfter('Mon Nov  2 12:00:05 2026', NOW)).toBe(0);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it('ignores garbage instead of guessing', () => {
    for (const junk of [
      '',
      '-5',
      '1.5',
      'soon',
      '5s',
      '0x10',
      'Mon, 23 Nov 2026 12:00:30 PST',
      '2026-11-23T12:00:30Z',
      'Mon, 32 Nov 2026 12:00:30 GMT',
      'Mon, 23 Foo 2026 12:00:30 GMT',
    ]) {
      expect(parseRetryAfter(junk, NOW), junk).toBeUndefined();
    }
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('parseHttpDate', () => {
  it('puts a two-digit RFC 850 year more than 50 years ahead in the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Friday, 06-Nov-37 08:49:37 GMT', NOW)).toBe(Date.UTC(2037, 10, 6, 8, 49, 37));
  });
});
