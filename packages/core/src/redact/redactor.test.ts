import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor.js';

describe('Redactor', () => {
  const secret = 's3cr3t/value+with=chars';
  const redactor = new Redactor({ secrets: [secret], headers: ['X-Tenant-Token'], params: ['sig'] });

  it('hides a secret raw, URL-encoded, form-encoded, JSON-escaped and base64-encoded', () => {
    for (const form of [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ a: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
    ]) {
      expect(redactor.text(`before ${form} after`)).toBe('before *** after');
    }
  });

  it('ignores secrets too short to search for safely', () => {
    const r = new Redactor({ secrets: ['abc'] });
    expect(r.text('abc abcdef')).toBe('abc abcdef');
  });

  it('redacts before truncating, so a secret across the cut is not half shown', () => {
    const text = `${'a'.repeat(490)}${secret}${'b'.repeat(100)}`;
    const out = redactor.truncated(text, 500);
    expect(out).not.toContain(secret.slice(0, 8));
    expect(out.length).toBeLessThanOrEqual(501);
  });

  it('hides user-info, sensitive query parameters and secrets in URLs', () => {
    expect(
      redactor.url(`https://u:p@api.example.com/x?token=abc&sig=zz&page=2&q=${encodeURIComponent(secret)}`),
    ).toBe('https://***:***@api.example.com/x?token=***&sig=***&page=2&q=***');
    expect(redactor.url('not a url with s3cr3t/value+with=chars')).toBe('not a url with ***');
  });

  it('shows *** for sensitive headers and redacts secrets in the others', () => {
    expect(
      redactor.headers({
        Authorization: 'Bearer x',
        'x-tenant-token': 'tt',
        'x-debug': `echo ${secret}`,
        accept: 'application/json',
        skipped: undefined,
      }),
    ).toEqual({
      Authorization: '***',
      'x-tenant-token': '***',
      'x-debug': 'echo ***',
      accept: 'application/json',
    });
  });

  it('keeps only the most recent short-lived secrets, and every permanent one', () => {
    const r = new Redactor({ secrets: ['permanent-secret'] });
    for (let i = 0; i < 100; i++)
      r.addSecret(`access-token-${String(i).padStart(3, '0')}`, { ephemeral: true });
    expect(r.text('access-token-099 access-token-068 permanent-secret')).toBe('*** *** ***');
    expect(r.text('access-token-000')).toBe('access-token-000');
  });
});
