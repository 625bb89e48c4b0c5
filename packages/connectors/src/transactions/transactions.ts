import { defineIntegration, hmacSigner, oauth2ClientCredentials } from '@patchbay/core';
import { TRANSACTIONS_ENV, transactionsConfig, transactionsTokenUrl } from './config.js';
import { commitDraft } from './operations/commit.js';
import { cancelDraft, createDraft, getDraft } from './operations/drafts.js';
import { getTransactionHistory, getTransactionStatus } from './operations/reads.js';

/**
 * Seed 004's transaction status and transaction create adapters, as one generic payments REST
 * API whose base URL is configured. OAuth2 client credentials (token cached and refreshed by
 * the kernel, re-obtained once on a 401), and every request signed with `X-Timestamp` and
 * `X-HMAC-Signature` (HMAC-SHA256, hex, over timestamp, method, path and body bytes). Reads are
 * signed too: core's signer has no per-method switch, and a signed read costs nothing.
 * Amounts are integer minor units throughout; commits carry an idempotency key.
 * @example
 * const payments = createIntegration(transactionsIntegration, { env: process.env });
 * const draft = await payments.call('create_draft', {
 *   customerId: 'C-1001', amount: 1250, currency: 'USD', description: 'Seat upgrade',
 * });
 * const charged = await payments.call('commit_draft', { draftId: draft.draftId });
 */
export const transactionsIntegration = defineIntegration({
  name: 'transactions',
  description: 'Payments: transaction status and history, draft transactions committed exactly once',
  config: transactionsConfig,
  env: TRANSACTIONS_ENV,
  auth: (c) =>
    oauth2ClientCredentials({
      tokenUrl: transactionsTokenUrl(c),
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      clientAuth: c.clientAuth,
      ...(c.scope === undefined ? {} : { scopes: c.scope.split(/\s+/).filter(Boolean) }),
    }),
  client: (c) => ({ sign: hmacSigner({ secret: c.hmacSecret, header: 'X-HMAC-Signature' }) }),
  // Seed 004's base adapter: a 10 s request timeout, a breaker that opens after 5 failures for 60 s.
  policies: {
    timeout: 10_000,
    circuitBreaker: { failureThreshold: 5, minimumCalls: 5, recoveryTimeout: 60_000 },
  },
  health: (ctx) => ctx.http.get('/health'),
  operations: {
    get_transaction_status: getTransactionStatus,
    get_transaction_history: getTransactionHistory,
    create_draft: createDraft,
    get_draft: getDraft,
    commit_draft: commitDraft,
    cancel_draft: cancelDraft,
  },
});
