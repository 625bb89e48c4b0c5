import { MemoryStore } from '@patchbay/core';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { expectedSignature, startTransactionsRig, type TransactionsRig } from './test-setup.js';

let rig: TransactionsRig;
afterEach(async () => {
  await rig.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('transactions reads', () => {
  it('get_transaction_status gets a token once, sends it signed, and is cached for 120 s', async () => {
    let now = Date.now();
    rig = await startTransactionsRig({ store: new MemoryStore(() => now) });
    const { fake, payments } = rig;
    const status = await payments.call('get_transaction_status', { transactionId: 'txn_000001' });
    expectTypeOf(status.amount).toEqualTypeOf<number>();
    expect(status).toEqual({
      transactionId: 'txn_000001',
      status: 'completed',
      amount: 50_000,
      currency: 'USD',
      createdAt: '2026-01-05T10:00:00.000Z',
      completedAt: '2026-01-05T10:05:00.000Z',
    });

    const [token] = fake.tokenRequests;
    expect(token?.headers.authorization).toBe(basic(fake.clientId, fake.clientSecret));
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.text))).toEqual({
      grant_type: 'client_credentials',
    });

    const [get] = fake.requestsTo('GET', '/api/v1/transactions/txn_000001');
    expect(get?.headers.authorization).toBe(`Bearer ${fake.issuedTokens[0]}`);
    expect(get?.headers['x-hmac-signature']).toBe(expectedSignature(get!, fake.hmacSecret));

    now += 119_000;
    await payments.call('get_transaction_status', { transactionId: 'txn_000001' });
    expect(fake.requestsTo('GET', '/api/v1/transactions/txn_000001')).toHaveLength(1);
    now += 2_000;
    await payments.call('get_transaction_status', { transactionId: 'txn_000001' });
    expect(fake.requestsTo('GET', '/api/v1/transactions/txn_000001')).toHaveLength(2);
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('get_transaction_history sends the filters, pages by cursor, and is cached for 300 s', async () => {
    let now = Date.now();
    rig = await startTransactionsRig({ store: new MemoryStore(() => now) });
    const { fake, payments } = rig;
    const input = {
      customerId: 'C-1001',
      accountId: 'ACC-1',
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-31T23:59:59Z',
      limit: 1,
    };
    const first = await payments.call('get_transaction_history', input);
    expect(first.transactions).toEqual([
      {
        transactionId: 'txn_000002',
        status: 'pending',
        amount: 1_299,
        currency: 'USD',
        accountId: 'ACC-1',
        description: 'Add-on seats',
        createdAt: '2026-01-10T09:00:00.000Z',
      },
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const [sent] = fake.requestsTo('GET', '/api/v1/customers/C-1001/transactions');
    expect(sent?.query).toEqual({
      limit: '1',
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-31T23:59:59Z',
      account_id: 'ACC-1',
    });

    const second = await payments.call('get_transaction_history', {
      ...input,
      cursor: first.nextCursor as string,
    });
    expect(second.transactions.map((t) => t.transactionId)).toEqual(['txn_000001']);
    expect(second.nextCursor).toBeNull();

    now += 299_000;
    await payments.call('get_transaction_history', input);
    expect(fake.requestsTo('GET', '/api/v1/customers/C-1001/transactions')).toHaveLength(2);
    now += 2_000;
    await payments.call('get_transaction_history', input);
    expect(fake.requestsTo('GET', '/api/v1/customers/C-1001/transactions')).toHaveLength(3);

    await expect(
      payments.call('get_transaction_history', {
        customerId: 'C-1001',
        from: '2026-02-01T00:00:00Z',
        to: '2026-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ type: 'IntegrationValidationError', issues: [{ path: 'from' }] });
  });
});

describe('drafts', () => {
  it('create_draft posts minor units and ISO currency, signed over the exact bytes sent', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const draft = await payments.call('create_draft', {
      customerId: 'C-1001',
      accountId: 'ACC-1',
      amount: 1_250,
      currency: 'USD',
      description: 'Seat upgrade',
      metadata: { ticket: '4' },
    });
    expect(draft).toEqual({
      draftId: 'drf_000001',
      status: 'pending',
      amount: 1_250,
      currency: 'USD',
      customerId: 'C-1001',
      accountId: 'ACC-1',
      description: 'Seat upgrade',
      metadata: { ticket: '4' },
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      transactionId: null,
    });
    const [sent] = fake.requestsTo('POST', '/api/v1/transactions/drafts');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.text).toBe(
      '{"customer_id":"C-1001","account_id":"ACC-1","amount":1250,"currency":"USD","description":"Seat upgrade","metadata":{"ticket":"4"}}',
    );
    expect(sent?.headers['x-timestamp']).toMatch(/^\d{10}$/);
    expect(sent?.headers['x-hmac-signature']).toBe(expectedSignature(sent!, fake.hmacSecret));
    expect(sent?.headers['idempotency-key']).toBeUndefined();
    expect(fake.signatureRejections).toEqual([]);
    expect(fake.draft('drf_000001')?.status).toBe('pending');
  });

  it('refuses floats, strings and bad currencies before any request', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const base = { customerId: 'C-1001', amount: 1_250, currency: 'USD', description: 'x' };
    const refusals = [
      [{ amount: 12.5 }, 'amount'],
      [{ amount: '1250' }, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ amount: 2 ** 53 }, 'amount'],
      [{ currency: 'usd' }, 'currency'],
      [{ currency: 'US' }, 'currency'],
      [{ currency: 'USDT' }, 'currency'],
    ] as const;
    for (const [change, path] of refusals) {
      await expect(
        payments.call('create_draft', { ...base, ...change } as typeof base),
      ).rejects.toMatchObject({
        type: 'IntegrationValidationError',
        issues: [{ path }],
      });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('get_draft reads a draft; cancel_draft moves pending → cancelled, and again answers the same', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const { draftId } = await payments.call('create_draft', {
      customerId: 'C-1002',
      amount: 990,
      currency: 'GBP',
      description: 'Extra storage',
    });
    expect(await payments.call('get_draft', { draftId })).toMatchObject({
      draftId,
      status: 'pending',
      amount: 990,
    });
    const cancelled = await payments.call('cancel_draft', { draftId });
    expect(cancelled).toMatchObject({ draftId, status: 'cancelled', transactionId: null });
    const [sent] = fake.requestsTo('POST', `/api/v1/transactions/drafts/${draftId}/cancel`);
    expect(sent?.body).toHaveLength(0);
    expect(sent?.headers['x-hmac-signature']).toBe(expectedSignature(sent!, fake.hmacSecret));
    expect((await payments.call('cancel_draft', { draftId })).status).toBe('cancelled');
    expect(fake.charges).toBe(0);
  });
});

describe('commit_draft', () => {
  const draftInput = { customerId: 'C-1001', amount: 4_200, currency: 'EUR', description: 'Consulting' };

  it('commits with a key derived from the draft id; committing again replays, charging once', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const { draftId } = await payments.call('create_draft', draftInput);
    const committed = await payments.call('commit_draft', { draftId });
    expect(committed).toEqual({
      transactionId: 'txn_000005',
      draftId,
      status: 'completed',
      amount: 4_200,
      currency: 'EUR',
      replayed: false,
    });
    const path = `/api/v1/transactions/drafts/${draftId}/commit`;
    const [sent] = fake.requestsTo('POST', path);
    expect(sent?.headers['idempotency-key']).toBe(`commit-draft-${draftId}`);
    expect(sent?.json()).toEqual({ draft_id: draftId });
    expect(sent?.headers['x-hmac-signature']).toBe(expectedSignature(sent!, fake.hmacSecret));
    expect(fake.draft(draftId)).toMatchObject({ status: 'committed', transaction_id: 'txn_000005' });

    const again = await payments.call('commit_draft', { draftId });
    expect(again).toEqual({ ...committed, replayed: true });
    expect(fake.requestsTo('POST', path)).toHaveLength(2);
    expect(fake.charges).toBe(1);
    expect(fake.replays).toBe(1);
  });

  it('uses the caller’s key: from the call options, or from the input, which wins', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const a = await payments.call('create_draft', draftInput);
    await payments.call('commit_draft', { draftId: a.draftId }, { idempotencyKey: 'task-77-step-3' });
    const b = await payments.call('create_draft', draftInput);
    await payments.call(
      'commit_draft',
      { draftId: b.draftId, idempotencyKey: 'from-input-1' },
      { idempotencyKey: 'from-call-1' },
    );
    const keys = fake.requests
      .filter((r) => r.path.endsWith('/commit'))
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['task-77-step-3', 'from-input-1']);
    expect(fake.charges).toBe(2);
  });

  it('a commit whose connection drops after it was applied is retried with the same key and charges once', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const { draftId } = await payments.call('create_draft', draftInput);
    fake.dropConnectionOnNextCommit();
    const committed = await payments.call('commit_draft', { draftId });
    expect(committed).toMatchObject({ draftId, status: 'completed', replayed: true });
    const attempts = fake.requestsTo('POST', `/api/v1/transactions/drafts/${draftId}/commit`);
    expect(attempts).toHaveLength(2);
    expect(attempts.map((r) => r.headers['idempotency-key'])).toEqual([
      `commit-draft-${draftId}`,
      `commit-draft-${draftId}`,
    ]);
    expect(attempts.map((r) => r.headers['x-hmac-signature'])).toEqual(
      attempts.map((r) => expectedSignature(r, fake.hmacSecret)),
    );
    expect(fake.charges).toBe(1);
    expect(fake.transactions.filter((t) => t.draft_id === draftId)).toHaveLength(1);
  });

  it('a 503 before the commit is retried (the operation is idempotent) and charges once', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const { draftId } = await payments.call('create_draft', draftInput);
    fake.failNext(503);
    expect(await payments.call('commit_draft', { draftId })).toMatchObject({ replayed: false });
    expect(fake.requestsTo('POST', `/api/v1/transactions/drafts/${draftId}/commit`)).toHaveLength(2);
    expect(fake.charges).toBe(1);
  });
});
