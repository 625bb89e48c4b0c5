import { describe, expect, it } from 'vitest';
import { readUpstreamSignal } from './upstream-signal.js';

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;

describe('readUpstreamSignal', () => {
  it('reads GitHub: X-RateLimit-* with an epoch-seconds reset', () => {
    const signal = readUpstreamSignal(
      {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW_S + 60),
        'x-ratelimit-used': '5000',
      },
      NOW,
    );
    expect(signal).toEqual({
      retryAfterMs: undefined,
      quotas: [
        {
          source: 'x-ratelimit',
          limit: 5000,
          remaining: 0,
          resetAt: NOW + 60_000,
          resetFormat: 'epoch-seconds',
        },
      ],
    });
  });

  it('reads Jira: an ISO-8601 reset with Retry-After', () => {
    const reset = new Date(NOW + 120_000).toISOString();
    const signal = readUpstreamSignal(
      { 'retry-after': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      NOW,
    );
    expect(signal.retryAfterMs).toBe(5000);
    expect(signal.quotas).toEqual([
      { source: 'x-ratelimit', remaining: 0, resetAt: NOW + 120_000, resetFormat: 'iso-8601' },
    ]);
  });

  it('prefers X-RateLimit-Reset-After (relative, skew-free) over X-RateLimit-Reset (Discord)', () => {
    const signal = readUpstreamSignal(
      {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': `${NOW_S + 9}.5`,
        'x-ratelimit-reset-after': '2.5',
      },
      NOW,
    );
    expect(signal.quotas[0]).toMatchObject({ resetAt: NOW + 2500, resetFormat: 'delta-seconds' });
  });

  it('reads the IETF RateLimit-Limit/Remaining/Reset trio', () => {
    const signal = readUpstreamSignal(
      { 'ratelimit-limit': '100, 100;w=60', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' },
      NOW,
    );
    expect(signal.quotas).toEqual([
      {
        source: 'ratelimit-trio',
        limit: 100,
        remaining: 0,
        resetAt: NOW + 30_000,
        resetFormat: 'delta-seconds',
      },
    ]);
  });

  it('reads the structured RateLimit field with RateLimit-Policy for the limits', () => {
    const signal = readUpstreamSignal(
      {
        ratelimit: '"burst";r=0;t=2, "day";r=4000;t=3600',
        'ratelimit-policy': '"burst";q=10;w=1, "day";q=5000;w=86400',
      },
      NOW,
    );
    expect(signal.quotas).toEqual([
      { source: 'ratelimit', name: 'burst', limit: 10, remaining: 0, resetAt: NOW + 2000 },
      { source: 'ratelimit', name: 'day', limit: 5000, remaining: 4000, resetAt: NOW + 3_600_000 },
    ]);
  });

  it('reads a structured RateLimit split over two header lines', () => {
    const signal = readUpstreamSignal({ ratelimit: ['"a";r=5;t=1', '"b";r=0;t=9'] }, NOW);
    expect(signal.quotas.map((q) => [q.name, q.remaining, q.resetAt])).toEqual([
      ['a', 5, NOW + 1000],
      ['b', 0, NOW + 9000],
    ]);
  });

  it("reads draft 07's RateLimit dictionary", () => {
    const signal = readUpstreamSignal({ ratelimit: 'limit=10, remaining=0, reset=7' }, NOW);
    expect(signal.quotas).toEqual([{ source: 'ratelimit', limit: 10, remaining: 0, resetAt: NOW + 7000 }]);
  });

  it('reads Retry-After as an HTTP-date', () => {
    const signal = readUpstreamSignal({ 'retry-after': new Date(NOW + 3000).toUTCString() }, NOW);
    expect(signal.retryAfterMs).toBe(3000);
  });

  it('ignores malformed headers and keeps the well-formed ones', () => {
    const signal = readUpstreamSignal(
      {
        'retry-after': 'tomorrow',
        'x-ratelimit-limit': 'lots',
        'x-ratelimit-remaining': '-3',
        'x-ratelimit-reset': 'whenever',
        ratelimit: '"default";r=0;t=', // broken structured field: ignored whole
        'ratelimit-remaining': '7',
        'ratelimit-reset': 'soon',
      },
      NOW,
    );
    expect(signal).toEqual({ retryAfterMs: undefined, quotas: [{ source: 'ratelimit-trio', remaining: 7 }] });
  });

  it('says nothing for a response without rate-limit headers', () => {
    expect(readUpstreamSignal({ 'content-type': 'application/json' }, NOW)).toEqual({
      retryAfterMs: undefined,
      quotas: [],
    });
  });

  it('skips structured members without r, and negative or fractional numbers', () => {
    const signal = readUpstreamSignal({ ratelimit: '"a";t=5, "b";r=-1;t=5, "c";r=1.5, "d";r=2;t=1.5' }, NOW);
    expect(signal.quotas).toEqual([{ source: 'ratelimit', name: 'd', remaining: 2 }]);
  });
});
