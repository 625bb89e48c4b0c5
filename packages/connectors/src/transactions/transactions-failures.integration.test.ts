import { createIntegration, isIntegrationError, REDACTED } from '@patchbay/core';
import { logSink, rejectionOf, reply } from '@patchbay/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTransactionsRig, type TransactionsRig } from './test-setup.js';
import { transactionsIntegration } from './transactions.js';

let rig: TransactionsRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);
const draftInput = { customerId: 'C-1001', amount: 4_200, currency: 'EUR', description: 'Consulting' };

describe('transactions: OAuth2 and signatures', () => {
  it('a refused client secret is an auth error naming invalid_client; the API is never called', async () => {
    rig = await startTransactionsRig({ config: { clientSecret: 'not-the-secret' } });
    const error = await failure(rig.payments.call('get_transaction_status', { transactionId: 'txn_000001' }));
    expect(error.type).toBe('IntegrationAuthError');
    expect(error.code).toBe('OAUTH_ERROR');
    expect(error.message).toContain('invalid_client');
    expect(rig.fake.tokenRequests).toHaveLength(1);
    expect(rig.fake.requests.filter((r) => !r.path.endsWith('/oauth/token'))).toHaveLength(0);
  });

  it('client authentication in the body, and the configured scope, reach the token endpoint', async () => {
    rig = await startTransactionsRig({ config: { clientAuth: 'body', scope: 'transactions:read' } });
    const { fake, payments } = rig;
    await payments.call('get_transaction_status', { transactionId: 'txn_000002' });
    const [token] = fake.tokenRequests;
    expect(token?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(token?.text))).toEqual({
      grant_type: 'client_credentials',
      scope: 'transactions:read',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    // A read-only token cannot create drafts: 403 is an auth error, and nothing was created.
    const error = await failure(payments.call('create_draft', draftInput));
    expect(error).toMatchObject({ type: 'IntegrationAuthError', status: 403 });
    expect(fake.drafts).toHaveLength(0);
  });

  it('an expired token is answered 401; the client gets a new one and sends the call again', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    await payments.call('get_draft', { draftId: (await payments.call('create_draft', draftInput)).draftId });
    fake.expireTokens();
    await payments.call('get_transaction_status', { transactionId: 'txn_000001' });
    expect(fake.tokenRequests).toHaveLength(2);
    const sent = fake.requestsTo('GET', '/api/v1/transactions/txn_000001');
    expect(sent.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${fake.issuedTokens[0]}`,
      `Bearer ${fake.issuedTokens[1]}`,
    ]);
  });

  it('a signature made with the wrong secret is refused 401 and nothing is created', async () => {
    rig = await startTransactionsRig({ config: { hmacSecret: 'not-the-shared-hmac-secret' } });
    const error = await failure(rig.payments.call('create_draft', draftInput));
    expect(error).toMatchObject({ type: 'IntegrationAuthError', status: 401 });
    expect(error.message).toContain('invalid_signature');
    expect(rig.fake.signatureRejections.length).toBeGreaterThan(0);
    expect(rig.fake.signatureRejections.every((r) => r.reason === 'mismatch')).toBe(true);
    expect(rig.fake.drafts).toHaveLength(0);
  });
});

describe('transactions: refusals, faults and limits', () => {
  it('committing a cancelled draft is a 409 saying draft_cancelled, and charges nothing', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const { draftId } = await payments.call('create_draft', draftInput);
    await payments.call('cancel_draft', { draftId });
    const error = await failure(payments.call('commit_draft', { draftId }));
    expect(error.type).toBe('IntegrationPermanentError');
    expect(error.status).toBe(409);
    expect(error.message).toMatch(
      /^Payments API draft_cancelled \(HTTP 409\): Draft drf_000001 is cancelled/,
    );
    expect(fake.charges).toBe(0);
    expect(fake.requestsTo('POST', `/api/v1/transactions/drafts/${draftId}/commit`)).toHaveLength(1);

    const other = await payments.call('create_draft', draftInput);
    await payments.call('commit_draft', { draftId: other.draftId });
    const late = await failure(payments.call('cancel_draft', { draftId: other.draftId }));
    expect(late.message).toContain('draft_already_committed');
  });

  it('one key reused for another commit is refused with idempotency_key_reused', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    const a = await payments.call('create_draft', draftInput);
    const b = await payments.call('create_draft', draftInput);
    await payments.call('commit_draft', { draftId: a.draftId, idempotencyKey: 'order-9' });
    const error = await failure(
      payments.call('commit_draft', { draftId: b.draftId, idempotencyKey: 'order-9' }),
    );
    expect(error).toMatchObject({ type: 'IntegrationPermanentError', status: 422 });
    expect(error.message).toContain('idempotency_key_reused');
    expect(fake.charges).toBe(1);
    expect(fake.draft(b.draftId)?.status).toBe('pending');
  });

  it('the API’s 404 names what it did not find', async () => {
    rig = await startTransactionsRig();
    const error = await failure(rig.payments.call('get_transaction_status', { transactionId: 'txn_999999' }));
    expect(error).toMatchObject({ type: 'IntegrationPermanentError', status: 404 });
    expect(error.message).toContain('Payments API not_found (HTTP 404): No transaction txn_999999');
  });

  it('a draft POST without a key is not retried after a 500; with the caller’s key it is, once', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    fake.failNext(500);
    const error = await failure(payments.call('create_draft', draftInput));
    expect(error).toMatchObject({ type: 'IntegrationTemporaryError', status: 500 });
    expect(fake.requestsTo('POST', '/api/v1/transactions/drafts')).toHaveLength(1);

    fake.failNext(500);
    const draft = await payments.call('create_draft', draftInput, { idempotencyKey: 'draft-req-1' });
    const sent = fake.requestsTo('POST', '/api/v1/transactions/drafts');
    expect(sent.slice(1).map((r) => r.headers['idempotency-key'])).toEqual(['draft-req-1', 'draft-req-1']);
    expect(fake.drafts.map((d) => d.id)).toEqual([draft.draftId]);
  });

  it('429 with Retry-After is waited out; one beyond the cap fails at once with the wait', async () => {
    rig = await startTransactionsRig();
    const { fake, payments } = rig;
    fake.rateLimit(1, { times: 1 });
    expect((await payments.call('get_transaction_status', { transactionId: 'txn_000003' })).status).toBe(
      'failed',
    );
    expect(fake.requestsTo('GET', '/api/v1/transactions/txn_000003')).toHaveLength(2);

    fake.rateLimit(120);
    const error = await failure(payments.call('get_transaction_status', { transactionId: 'txn_000004' }));
    expect(error).toMatchObject({
      type: 'IntegrationRateLimited',
      status: 429,
      retryAfter: 120,
      retryable: true,
    });
    expect(fake.requestsTo('GET', '/api/v1/transactions/txn_000004')).toHaveLength(1);
  });

  it('an amount that is not integer minor units in the answer is refused, not passed on', async () => {
    rig = await startTransactionsRig();
    rig.fake.seedTransaction({ amount: 12.5, currency: 'USD', customer_id: 'C-7' });
    const error = await failure(rig.payments.call('get_transaction_status', { transactionId: 'txn_000005' }));
    expect(error).toMatchObject({ type: 'IntegrationPermanentError', code: 'INVALID_OUTPUT' });
    expect(error.issues).toEqual([{ path: 'response.amount', message: expect.any(String) }]);
  });
});

describe('transactions: secrets', () => {
  it('client secret, HMAC secret and access tokens appear in no error and no log line', async () => {
    const secrets = {
      clientSecret: 'canary-client-secret-8d2c',
      hmacSecret: 'canary-hmac-secret-41fe',
    };
    const sink = logSink();
    rig = await startTransactionsRig({
      fake: secrets,
      logger: pino({ level: 'trace' }, sink),
      client: { retry: { maxRetries: 1, initialDelay: 1 }, logResponseBody: true },
    });
    const { fake, payments } = rig;
    const { draftId } = await payments.call('create_draft', draftInput);
    await payments.call('commit_draft', { draftId });
    fake.upstream.on('GET', '/api/v1/transactions/:id', (req) =>
      reply.json(500, {
        echo: req.headers.authorization,
        signature: req.headers['x-hmac-signature'],
        secrets: Object.values(secrets),
      }),
    );
    const errors = [await failure(payments.call('get_transaction_status', { transactionId: 'txn_000001' }))];
    // The token endpoint refuses an unknown client that sent the real secret.
    const badClient = createIntegration(transactionsIntegration, {
      env: {},
      logger: pino({ level: 'trace' }, sink),
      metricsRegistry: false,
      values: { baseUrl: fake.apiUrl, clientId: 'unknown-client', ...secrets },
    });
    errors.push(await failure(badClient.call('get_draft', { draftId })));
    await badClient.close();

    expect(errors.map((e) => e.type)).toEqual(['IntegrationTemporaryError', 'IntegrationAuthError']);
    expect(errors[0]?.body).toContain(REDACTED);
    const canaries = [
      ...Object.values(secrets),
      ...fake.issuedTokens,
      Buffer.from(`${fake.clientId}:${secrets.clientSecret}`).toString('base64'),
      Buffer.from(`unknown-client:${secrets.clientSecret}`).toString('base64'),
    ];
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    const errorText = errors.map((e) => `${e.message} ${JSON.stringify(e)} ${e.body} ${e.stack}`).join('\n');
    for (const canary of canaries) {
      expect(errorText).not.toContain(canary);
      expect(sink.text()).not.toContain(canary);
    }
    expect(sink.lines.length).toBeGreaterThan(0);
  });
});

describe('transactions: configuration', () => {
  it('reads the env names, derives the token URL, and marks both secrets', () => {
    const payments = createIntegration(transactionsIntegration, {
      env: {
        TRANSACTIONS_API_URL: 'https://payments.example.com/api/v1',
        TRANSACTIONS_CLIENT_ID: 'hub',
        TRANSACTIONS_CLIENT_SECRET: 'cs',
        TRANSACTIONS_HMAC_SECRET: 'hs',
        TRANSACTIONS_SCOPE: 'transactions:read transactions:write',
      },
      logger: false,
    });
    expect(payments.requireConfig()).toEqual({
      baseUrl: 'https://payments.example.com/api/v1',
      clientId: 'hub',
      clientSecret: 'cs',
      hmacSecret: 'hs',
      scope: 'transactions:read transactions:write',
      clientAuth: 'basic',
    });
    expect(payments.secretFields).toEqual(['clientSecret', 'hmacSecret']);
    const missing = createIntegration(transactionsIntegration, {
      env: { TRANSACTIONS_API_URL: 'https://payments.example.com/api/v1', TRANSACTIONS_CLIENT_ID: 'hub' },
      logger: false,
    });
    expect(() => missing.requireConfig()).toThrow(
      /config\.clientSecret: is required; config\.hmacSecret: is required/,
    );
  });

  it('reports healthy from a signed, authorized GET /health', async () => {
    rig = await startTransactionsRig();
    expect(await rig.payments.healthCheck()).toMatchObject({ name: 'transactions', status: 'ready' });
    const [health] = rig.fake.requestsTo('GET', '/api/v1/health');
    expect(health?.headers.authorization).toMatch(/^Bearer tx_at_/);
  });
});
