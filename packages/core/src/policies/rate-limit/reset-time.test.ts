import { describe, expect, it } from 'vitest';
import { MAX_RESET_HORIZON_MS, parseCount, parseDeltaSeconds, parseResetTime } from './reset-time.js';

const NOW = Date.UTC(2024, 4, 23, 14, 0, 0); // 2024-05-23T14:00:00Z
const NOW_S = NOW / 1000;

describe('parseResetTime tells the formats apart', () => {
  it('reads epoch seconds (GitHub)', () => {
    expect(parseResetTime(String(NOW_S + 60), NOW)).toEqual({ at: NOW + 60_000, format: 'epoch-seconds' });
  });

  it('reads epoch seconds with decimals (Discord), rounding up so we never resume early', () => {
    expect(parseResetTime(`${NOW_S + 1}.2501`, NOW)).toEqual({ at: NOW + 1251, format: 'epoch-seconds' });
  });

  it('reads epoch milliseconds', () => {
    expect(parseResetTime(String(NOW + 2500), NOW)).toEqual({ at: NOW + 2500, format: 'epoch-ms' });
  });

  it('reads ISO-8601 with a zone (Jira), with or without seconds', () => {
    expect(parseResetTime('2024-05-23T14:30Z', NOW)).toEqual({ at: NOW + 30 * 60_000, format: 'iso-8601' });
    expect(parseResetTime('2024-05-23T16:00:05+02:00', NOW)).toEqual({ at: NOW + 5000, format: 'iso-8601' });
    expect(parseResetTime('2024-05-23T14:00:01.500Z', NOW)).toEqual({ at: NOW + 1500, format: 'iso-8601' });
  });

  it('reads delta seconds', () => {
    expect(parseResetTime('30', NOW)).toEqual({ at: NOW + 30_000, format: 'delta-seconds' });
    expect(parseResetTime('0', NOW)).toEqual({ at: NOW, format: 'delta-seconds' });
    expect(parseResetTime(' 1.5 ', NOW)).toEqual({ at: NOW + 1500, format: 'delta-seconds' });
  });

  it('reads an HTTP-date', () => {
    expect(parseResetTime('Thu, 23 May 2024 14:00:10 GMT', NOW)).toEqual({
      at: NOW + 10_000,
      format: 'http-date',
    });
  });

  it('takes the first of repeated values', () => {
    expect(parseResetTime(['10', '20'], NOW)?.at).toBe(NOW + 10_000);
  });

  it('returns a reset in the past as is (it means: already reset)', () => {
    expect(parseResetTime(String(NOW_S - 5), NOW)?.at).toBe(NOW - 5000);
  });

  it('ignores garbage, zoneless ISO dates and resets beyond the horizon', () => {
    for (const junk of [
      '',
      '  ',
      'soon',
      '-5',
      '1e3',
      '0x10',
      '10s',
      '2024-05-23T14:30:00', // no zone: Date.parse would guess local time
      '2024-05-23',
      'Thu, 23 May 2024 14:00:10 PST',
      String(NOW_S + MAX_RESET_HORIZON_MS / 1000 + 60), // days ahead
      String(900_000_000), // a 28-year delta
    ]) {
      expect(parseResetTime(junk, NOW), junk).toBeUndefined();
    }
    expect(parseResetTime(undefined, NOW)).toBeUndefined();
  });
});

describe('parseDeltaSeconds and parseCount', () => {
  it('reads seconds from now, decimals allowed (X-RateLimit-Reset-After)', () => {
    expect(parseDeltaSeconds('1.234', NOW)).toBe(NOW + 1234);
    expect(parseDeltaSeconds('abc', NOW)).toBeUndefined();
    expect(parseDeltaSeconds('-1', NOW)).toBeUndefined();
    expect(parseDeltaSeconds(String(MAX_RESET_HORIZON_MS), NOW)).toBeUndefined();
  });

  it('reads non-negative integers only', () => {
    expect(parseCount('0')).toBe(0);
    expect(parseCount('4999')).toBe(4999);
    for (const junk of ['-1', '1.5', 'many', '', '99999999999999999999']) {
      expect(parseCount(junk), junk).toBeUndefined();
    }
  });
});
