import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PreparedRequest, RawResponse } from '../../http/types.js';
import type { CallContext } from '../../policies/pipeline.js';
import { computeHmacSignature } from './hmac-scheme.js';
import { type HmacSignerOptions, hmacSigner } from './hmac-signer.js';
import { verifyHmacSignature } from './verify-hmac.js';

const SECRET = 'hmac-secret-0123456789';
const NOW = 1_700_000_000_123;
const clock = { wallNow: () => NOW };

const OK: RawResponse = { status: 200, headers: {}, body: Buffer.alloc(0), url: 'http://x/' };
const call = {} as CallContext;

/** Runs the signer over a request and returns what the transport would receive. */
async function signed(over: Partial<PreparedRequest>, options: Partial<HmacSignerOptions> = {}) {
  let seen: PreparedRequest | undefined;
  const handler = hmacSigner({ secret: SECRET, clock, ...options })(async (req) => {
    seen = req;
    return OK;
  });
  await handler(
    {
      method: 'POST',
      origin: 'https://sales.example.com',
      path: '/api/v1/transactions/drafts?x=1',
      headers: {},
      operation: 'op',
      ...over,
    },
    call,
  );
  return seen as PreparedRequest;
}

/** The reference: node:crypto over the string built by hand. */
const reference = (algorithm: string, payload: string | Buffer, encoding: 'hex' | 'base64' = 'hex') =>
  createHmac(algorithm, SECRET).update(payload).digest(encoding);

describe('hmacSigner', () => {
  it('signs timestamp, method, path and the exact JSON bytes sent (default scheme)', async () => {
    const payload = { customer_id: 'C-1', amount: 500, description: 'café ☕' };
    const req = await signed({ json: payload });
    const body = JSON.stringify(payload);
    expect(req.body).toBe(body);
    expect(req.json).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-timestamp']).toBe('1700000000');
    expect(req.headers['x-hmac-signature']).toBe(
      reference('sha256', `1700000000\nPOST\n/api/v1/transactions/drafts?x=1\n${body}`),
    );
  });

  it('known vectors: sha512 in base64 with a prefix; sha1; body only (seed 004); custom headers and separator', async () => {
    const a = await signed({ body: 'raw' }, { algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=' });
    expect(a.headers['x-hmac-signature']).toBe(
      `sha512=${reference('sha512', '1700000000\nPOST\n/api/v1/transactions/drafts?x=1\nraw', 'base64')}`,
    );
    const b = await signed({ method: 'GET', path: '/p' }, { algorithm: 'sha1' });
    expect(b.headers['x-hmac-signature']).toBe(reference('sha1', '1700000000\nGET\n/p\n'));
    const c = await signed({ json: { draft_id: 'D-1' } }, { parts: ['body'] });
    expect(c.headers['x-hmac-signature']).toBe(reference('sha256', '{"draft_id":"D-1"}'));
    expect(c.headers['x-timestamp']).toBeUndefined();
    const d = await signed(
      { body: 'b' },
      {
        header: 'X-Signature',
        timestampHeader: 'X-Request-Time',
        separator: '|',
        parts: ['method', 'timestamp', 'body'],
      },
    );
    expect(d.headers['x-signature']).toBe(reference('sha256', 'POST|1700000000|b'));
    expect(d.headers['x-request-time']).toBe('1700000000');
  });

  it('signs bytes and form bodies as sent, keeping a content type the caller set', async () => {
    const bytes = Uint8Array.from([0, 255, 10, 13]);
    const a = await signed(
      { body: bytes, headers: { 'content-type': 'application/octet-stream' } },
      { parts: ['body'] },
    );
    expect(a.headers['x-hmac-signature']).toBe(reference('sha256', Buffer.from(bytes)));
    expect(a.headers['content-type']).toBe('application/octet-stream');
    const f = await signed({ form: new URLSearchParams({ a: '1 2', b: 'é' }) }, { parts: ['body'] });
    expect(f.body).toBe('a=1+2&b=%C3%A9');
    expect(f.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(f.headers['x-hmac-signature']).toBe(reference('sha256', 'a=1+2&b=%C3%A9'));
  });

  it('names its secret and its header for the redactor, and refuses bad options', () => {
    const signer = hmacSigner({ secret: SECRET, header: 'X-Sig' });
    expect(signer.secrets()).toEqual([SECRET]);
    expect(signer.credentialHeaders).toEqual(['x-sig']);
    expect(() => hmacSigner({ secret: '' })).toThrow(/HMAC secret is empty/);
    expect(() => hmacSigner({ secret: 's', algorithm: 'md5' as 'sha1' })).toThrow(/algorithm/);
    expect(() => hmacSigner({ secret: 's', parts: [] })).toThrow(/parts/);
  });
});

describe('verifyHmacSignature', () => {
  const input = { method: 'POST', path: '/drafts', timestamp: '1700000000', body: '{"a":1}' };
  const good = computeHmacSignature({ secret: SECRET, prefix: 'sha256=' }, input);
  const verify = (over: Record<string, unknown> = {}) =>
    verifyHmacSignature({ secret: SECRET, prefix: 'sha256=', signature: good, now: NOW, ...input, ...over });

  it('accepts the signature the signer computes', () => {
    expect(good).toBe(`sha256=${reference('sha256', '1700000000\nPOST\n/drafts\n{"a":1}')}`);
    expect(verify()).toEqual({ ok: true });
    expect(verify({ signature: good.toUpperCase().replace('SHA256=', 'sha256=') })).toEqual({ ok: true });
  });

  it('refuses a tampered body, path, method or secret as a mismatch', () => {
    expect(verify({ body: '{"a":2}' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify({ path: '/drafts?admin=1' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify({ method: 'PUT' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify({ secret: 'another-secret' })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a timestamp outside the tolerance, either way, or missing', () => {
    expect(verify({ now: NOW + 301_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify({ now: NOW - 301_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify({ now: NOW + 299_000 })).toEqual({ ok: true });
    expect(verify({ now: NOW + 20_000, toleranceMs: 10_000 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verify({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(verify({ timestamp: '17e8' })).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('is length-safe: short, long, non-hex, unprefixed, repeated or absent signatures are refused without throwing', () => {
    const malformed = { ok: false, reason: 'malformed_signature' };
    expect(verify({ signature: good.slice(0, -2) })).toEqual(malformed);
    expect(verify({ signature: `${good}00` })).toEqual(malformed);
    expect(verify({ signature: `sha256=${'zz'.repeat(32)}` })).toEqual(malformed);
    expect(verify({ signature: good.slice('sha256='.length) })).toEqual(malformed);
    expect(verify({ signature: [good, good] })).toEqual(malformed);
    expect(verify({ signature: undefined })).toEqual({ ok: false, reason: 'missing_signature' });
    const b64 = computeHmacSignature({ secret: SECRET, encoding: 'base64', parts: ['body'] }, input);
    expect(
      verifyHmacSignature({ secret: SECRET, encoding: 'base64', parts: ['body'], signature: b64, ...input }),
    ).toEqual({
      ok: true,
    });
    expect(
      verifyHmacSignature({
        secret: SECRET,
        encoding: 'base64',
        parts: ['body'],
        signature: 'AAAA',
        ...input,
      }),
    ).toEqual(malformed);
  });
});
