// Every scheme against the worked examples its publisher documents, and against signatures made
// here with node:crypto (never with our own signers), plus the ways a delivery must be refused.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type GenericHmacSettings, verifyGenericHmac } from './generic-hmac.js';
import { verifyGithub } from './github.js';
import { verifySlack } from './slack.js';
import { signStandardWebhook, verifyStandardWebhook } from './standard-webhooks.js';
import { verifyStripe } from './stripe.js';
import type { SignedRequest } from './verification.js';

const FIVE_MINUTES = 300_000;

function request(headers: Record<string, string | string[]>, body: string, now = Date.now()): SignedRequest {
  return { headers, body: Buffer.from(body), method: 'POST', url: '/api/integrations/webhook/x', now };
}

const hex = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest('hex');
const b64 = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64');

describe('GitHub X-Hub-Signature-256', () => {
  // docs.github.com, "Validating webhook deliveries": the documented test values.
  const secret = "It's a Secret to Everybody";
  const body = 'Hello, World!';
  const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("verifies GitHub's documented example", () => {
    expect(verifyGithub([secret], request({ 'x-hub-signature-256': documented }, body))).toEqual({
      ok: true,
    });
  });

  it('refuses a wrong secret, a tampered body, a missing or malformed header', () => {
    expect(verifyGithub(['not the secret'], request({ 'x-hub-signature-256': documented }, body))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyGithub([secret], request({ 'x-hub-signature-256': documented }, 'Hello, World?'))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyGithub([secret], request({}, body))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyGithub([secret], request({ 'x-hub-signature-256': 'sha1=abcd' }, body))).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(
      verifyGithub([secret], request({ 'x-hub-signature-256': [documented, documented] }, body)),
    ).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });

  it('accepts any of several secrets (rotation)', () => {
    expect(
      verifyGithub(['old-secret', secret], request({ 'x-hub-signature-256': documented }, body)),
    ).toEqual({
      ok: true,
    });
  });
});

describe('Slack v0', () => {
  // docs.slack.dev, "Verifying requests from Slack": the documented signing secret, timestamp and body.
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const timestamp = '1531420618';
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const documented = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const at = Number(timestamp) * 1000 + 60_000;
  const headers = { 'x-slack-signature': documented, 'x-slack-request-timestamp': timestamp };

  it("verifies Slack's documented example", () => {
    expect(verifySlack([secret], request(headers, body, at), FIVE_MINUTES)).toEqual({ ok: true });
  });

  it('refuses a stale or future timestamp, a wrong secret, a tampered body', () => {
    expect(verifySlack([secret], request(headers, body, at + FIVE_MINUTES), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifySlack([secret], request(headers, body, at - 2 * FIVE_MINUTES), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(
      verifySlack(['8f742231b10e8888abcd99yyyzzz85a6'], request(headers, body, at), FIVE_MINUTES),
    ).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifySlack([secret], request(headers, body.replace('foobar', 'foobaz'), at), FIVE_MINUTES),
    ).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifySlack([secret], request({ 'x-slack-signature': documented }, body, at), FIVE_MINUTES),
    ).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('does not let a replayed signature through with a fresh timestamp', () => {
    const now = Date.now();
    const fresh = String(Math.floor(now / 1000));
    const replayed = { 'x-slack-signature': documented, 'x-slack-request-timestamp': fresh };
    expect(verifySlack([secret], request(replayed, body, now), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const signed = {
      'x-slack-signature': `v0=${hex(secret, `v0:${fresh}:${body}`)}`,
      'x-slack-request-timestamp': fresh,
    };
    expect(verifySlack([secret], request(signed, body, now), FIVE_MINUTES)).toEqual({ ok: true });
  });
});

describe('Standard Webhooks', () => {
  // The reference libraries' test vector (standard-webhooks, libraries/javascript/src/webhook.test.ts).
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = '1614265330';
  const body = '{"test": 2432232314}';
  const documented = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const at = Number(timestamp) * 1000;
  const headers = (signature: string, stamp = timestamp) => ({
    'webhook-id': id,
    'webhook-timestamp': stamp,
    'webhook-signature': signature,
  });

  it('signs and verifies the published test vector', () => {
    expect(signStandardWebhook([secret], id, timestamp, body)).toBe(documented);
    expect(verifyStandardWebhook([secret], request(headers(documented), body, at), FIVE_MINUTES)).toEqual({
      ok: true,
    });
  });

  it('accepts a secret without the whsec_ prefix, and a list holding one valid entry', () => {
    expect(
      verifyStandardWebhook(
        ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
        request(headers(documented), body, at),
        FIVE_MINUTES,
      ),
    ).toEqual({ ok: true });
    const list = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${documented}`;
    expect(verifyStandardWebhook([secret], request(headers(list), body, at), FIVE_MINUTES)).toEqual({
      ok: true,
    });
  });

  it('signs with both secrets during a rotation; a receiver holding either verifies', () => {
    const next = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const both = signStandardWebhook([next, secret], id, timestamp, body);
    expect(both.split(' ')).toHaveLength(2);
    const expectedNext = `v1,${b64(Buffer.alloc(32, 9), `${id}.${timestamp}.${body}`)}`;
    expect(both).toBe(`${expectedNext} ${documented}`);
    expect(verifyStandardWebhook([secret], request(headers(both), body, at), FIVE_MINUTES)).toEqual({
      ok: true,
    });
    expect(verifyStandardWebhook([next], request(headers(both), body, at), FIVE_MINUTES)).toEqual({
      ok: true,
    });
  });

  it('refuses an old or new timestamp, a wrong secret, a tampered body, a partial signature', () => {
    expect(
      verifyStandardWebhook(
        [secret],
        request(headers(documented), body, at + FIVE_MINUTES + 1000),
        FIVE_MINUTES,
      ),
    ).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(
      verifyStandardWebhook(
        [secret],
        request(headers(documented), body, at - FIVE_MINUTES - 1000),
        FIVE_MINUTES,
      ),
    ).toEqual({ ok: false, reason: 'stale_timestamp' });
    const other = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
    expect(verifyStandardWebhook([other], request(headers(documented), body, at), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifyStandardWebhook([secret], request(headers(documented), '{"test": 2432232315}', at), FIVE_MINUTES),
    ).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyStandardWebhook([secret], request(headers('v1,'), body, at), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(
      verifyStandardWebhook([secret], request(headers(documented.slice(0, 8)), body, at), FIVE_MINUTES),
    ).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifyStandardWebhook([secret], request(headers(documented, 'hello'), body, at), FIVE_MINUTES),
    ).toEqual({ ok: false, reason: 'missing_timestamp' });
  });
});

describe('Stripe-style t=…,v1=…', () => {
  const secret = 'whsec_stripe_test_secret';
  const body = '{"id":"evt_1","type":"payment_intent.succeeded"}';
  const now = 1_700_000_000_000;
  const t = String(now / 1000);
  const sig = hex(secret, `${t}.${body}`);

  it('verifies, with several v1 entries and a v0 ignored', () => {
    const header = `t=${t},v0=${'0'.repeat(64)},v1=${'a'.repeat(64)},v1=${sig}`;
    expect(verifyStripe([secret], request({ 'stripe-signature': header }, body, now), FIVE_MINUTES)).toEqual({
      ok: true,
    });
  });

  it('refuses a stale timestamp, a wrong secret, a tampered body, a header without v1', () => {
    const header = `t=${t},v1=${sig}`;
    expect(
      verifyStripe(
        [secret],
        request({ 'stripe-signature': header }, body, now + FIVE_MINUTES + 1),
        FIVE_MINUTES,
      ),
    ).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyStripe(['other'], request({ 'stripe-signature': header }, body, now), FIVE_MINUTES)).toEqual(
      {
        ok: false,
        reason: 'mismatch',
      },
    );
    expect(
      verifyStripe(
        [secret],
        request({ 'stripe-signature': header }, body.replace('1', '2'), now),
        FIVE_MINUTES,
      ),
    ).toEqual({ ok: false, reason: 'mismatch' });
    expect(
      verifyStripe([secret], request({ 'stripe-signature': `t=${t}` }, body, now), FIVE_MINUTES),
    ).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(
      verifyStripe([secret], request({ 'stripe-signature': `v1=${sig}` }, body, now), FIVE_MINUTES),
    ).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
  });
});

describe('generic HMAC', () => {
  const secret = 'generic-secret-123';
  const body = '{"event":"order.created","id":"o-1"}';
  const base: GenericHmacSettings = {
    header: 'x-signature',
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: '',
    parts: ['body'],
    separator: '\n',
  };

  it('verifies hex over the body, base64 with a prefix, sha512', () => {
    expect(
      verifyGenericHmac([secret], base, request({ 'x-signature': hex(secret, body) }, body), FIVE_MINUTES),
    ).toEqual({
      ok: true,
    });
    const prefixed = { ...base, encoding: 'base64' as const, prefix: 'hmac-sha256=' };
    expect(
      verifyGenericHmac(
        [secret],
        prefixed,
        request({ 'x-signature': `hmac-sha256=${b64(secret, body)}` }, body),
        FIVE_MINUTES,
      ),
    ).toEqual({ ok: true });
    const sha512 = { ...base, algorithm: 'sha512' as const };
    const digest = createHmac('sha512', secret).update(body).digest('hex');
    expect(
      verifyGenericHmac([secret], sha512, request({ 'x-signature': digest }, body), FIVE_MINUTES),
    ).toEqual({
      ok: true,
    });
  });

  it('signs a timestamp from its header and refuses a stale one', () => {
    const settings = {
      ...base,
      parts: ['timestamp', 'body'] as const,
      separator: '.',
      timestampHeader: 'x-timestamp',
    };
    const now = 1_700_000_000_000;
    const t = String(now / 1000);
    const headers = { 'x-signature': hex(secret, `${t}.${body}`), 'x-timestamp': t };
    expect(verifyGenericHmac([secret], settings, request(headers, body, now), FIVE_MINUTES)).toEqual({
      ok: true,
    });
    expect(
      verifyGenericHmac([secret], settings, request(headers, body, now + 600_000), FIVE_MINUTES),
    ).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('refuses a wrong secret and a tampered body', () => {
    const headers = { 'x-signature': hex(secret, body) };
    expect(verifyGenericHmac(['nope'], base, request(headers, body), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyGenericHmac([secret], base, request(headers, `${body} `), FIVE_MINUTES)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });
});
