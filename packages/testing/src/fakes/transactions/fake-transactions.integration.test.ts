import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTransactions, startFakeTransactions } from './fake-transactions.js';

let fake: FakeTransactions;
afterEach(async () => {
  await fake.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function token(f: FakeTransactions, scope?: string): Promise<string> {
  const res = await fetch(f.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${f.clientId}:${f.clientSecret}`).toString('base64')}`,
    },
    body: form({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A signed call, the signature computed here by hand from the documented format. */
async function call(
  f: FakeTransactions,
  method: string,
  path: string,
  options: { body?: string; key?: string; timestamp?: number; unsigned?: boolean; bearer?: string } = {},
) {
  const url = `/api/v1${path}`;
  const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const body = options.body ?? '';
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.bearer ?? (await token(f))}`,
    'content-type': 'application/json',
  };
  if (!options.unsigned) {
    headers['x-timestamp'] = ts;
    headers['x-hmac-signature'] = createHmac('sha256', f.hmacSecret)
      .update(`${ts}\n${method}\n${url}\n${body}`)
      .digest('hex');
  }
  if (options.key) headers['idempotency-key'] = options.key;
  const res = await fetch(`${f.url}${url}`, { method, headers, ...(method === 'GET' ? {} : { body }) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const draftBody = JSON.stringify({ customer_id: 'C-1', amount: 500, currency: 'USD', description: 'x' });

describe('fake payments API: token endpoint', () => {
  it('issues expiring bearer tokens for client credentials, by Basic or by body', async () => {
    fake = await startFakeTransactions({ tokenTtlSeconds: 120 });
    const res = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        grant_type: 'client_credentials',
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      access_token: fake.issuedTokens[0],
      token_type: 'Bearer',
      expires_in: 120,
      scope: 'transactions:read transactions:write',
    });
    expect(fake.issuedTokens[0]).toMatch(/^tx_at_/);
  });

  it('answers OAuth errors: invalid_client (401), unsupported_grant_type, invalid_scope, two auth methods', async () => {
    fake = await startFakeTransactions();
    const post = async (body: string, authorization?: string) => {
      const res = await fetch(fake.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(authorization ? { authorization } : {}),
        },
        body,
      });
      return { status: res.status, error: ((await res.json()) as { error: string }).error, res };
    };
    const good = `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`;
    const wrong = await post(
      form({ grant_type: 'client_credentials' }),
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    );
    expect([wrong.status, wrong.error]).toEqual([401, 'invalid_client']);
    expect(wrong.res.headers.get('www-authenticate')).toBe('Basic realm="payments"');
    expect((await post(form({ grant_type: 'password' }), good)).error).toBe('unsupported_grant_type');
    expect((await post(form({ grant_type: 'client_credentials', scope: 'admin' }), good)).error).toBe(
      'invalid_scope',
    );
    expect(
      (await post(form({ grant_type: 'client_credentials', client_id: fake.clientId }), good)).error,
    ).toBe('invalid_request');
    expect(fake.issuedTokens).toHaveLength(0);
  });
});

describe('fake payments API: guards', () => {
  it('refuses a missing or expired token, a missing scope, and a stale or absent write signature', async () => {
    fake = await startFakeTransactions();
    expect((await call(fake, 'GET', '/transactions/txn_000001', { bearer: 'nope' })).status).toBe(401);
    const readOnly = await token(fake, 'transactions:read');
    const scoped = await call(fake, 'POST', '/transactions/drafts', { body: draftBody, bearer: readOnly });
    expect([scoped.status, (scoped.json.error as { code: string }).code]).toEqual([
      403,
      'insufficient_scope',
    ]);

    const unsigned = await call(fake, 'POST', '/transactions/drafts', { body: draftBody, unsigned: true });
    expect(unsigned.status).toBe(401);
    const stale = await call(fake, 'POST', '/transactions/drafts', {
      body: draftBody,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(fake.signatureRejections.map((r) => r.reason)).toEqual(['missing_signature', 'stale_timestamp']);
    // A read may go unsigned.
    expect((await call(fake, 'GET', '/transactions/txn_000001', { unsigned: true })).status).toBe(200);

    const live = await token(fake);
    fake.expireTokens();
    const expired = await call(fake, 'GET', '/transactions/txn_000001', { bearer: live });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(fake.drafts).toHaveLength(0);
  });

  it('refuses a float amount and a lower-case currency, naming the field', async () => {
    fake = await startFakeTransactions();
    const float = await call(fake, 'POST', '/transactions/drafts', {
      body: JSON.stringify({ customer_id: 'C-1', amount: 12.5, currency: 'USD' }),
    });
    expect(float).toMatchObject({
      status: 422,
      json: { error: { code: 'invalid_request', field: 'amount' } },
    });
    const currency = await call(fake, 'POST', '/transactions/drafts', {
      body: JSON.stringify({ customer_id: 'C-1', amount: 1250, currency: 'usd' }),
    });
    expect(currency.json).toMatchObject({ error: { field: 'currency' } });
  });
});

describe('fake payments API: drafts and idempotency', () => {
  it('a commit needs a key; the same key and body replay without a second charge; another body is refused', async () => {
    fake = await startFakeTransactions();
    const created = await call(fake, 'POST', '/transactions/drafts', { body: draftBody });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const commitBody = JSON.stringify({ draft_id: id });
    expect((await call(fake, 'POST', `/transactions/drafts/${id}/commit`, { body: commitBody })).status).toBe(
      400,
    );

    const first = await call(fake, 'POST', `/transactions/drafts/${id}/commit`, {
      body: commitBody,
      key: 'k1',
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await call(fake, 'POST', `/transactions/drafts/${id}/commit`, {
      body: commitBody,
      key: 'k1',
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(fake.charges).toBe(1);

    const reused = await call(fake, 'POST', `/transactions/drafts/${id}/commit`, { body: '{}', key: 'k1' });
    expect(reused).toMatchObject({ status: 422, json: { error: { code: 'idempotency_key_reused' } } });
    const otherKey = await call(fake, 'POST', `/transactions/drafts/${id}/commit`, {
      body: commitBody,
      key: 'k2',
    });
    expect(otherKey).toMatchObject({ status: 409, json: { error: { code: 'draft_already_committed' } } });
    expect(fake.charges).toBe(1);
  });

  it('a draft past its ttl is expired and cannot be committed', async () => {
    let now = Date.now();
    fake = await startFakeTransactions({ draftTtlSeconds: 60, now: () => now });
    const created = await call(fake, 'POST', '/transactions/drafts', {
      body: draftBody,
      timestamp: Math.floor(now / 1000),
    });
    const id = created.json.id as string;
    now += 61_000;
    const late = await call(fake, 'POST', `/transactions/drafts/${id}/commit`, {
      body: JSON.stringify({ draft_id: id }),
      key: 'k',
      timestamp: Math.floor(now / 1000),
    });
    expect(late).toMatchObject({ status: 409, json: { error: { code: 'draft_expired' } } });
    expect(fake.draft(id)?.status).toBe('expired');
    expect(fake.charges).toBe(0);
  });
});
