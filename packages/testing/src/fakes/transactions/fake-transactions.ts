import { type FakeUpstream, startFakeUpstream } from '../../fake-upstream.js';
import type { RecordedRequest } from '../../types.js';
import { IdempotencyLedger } from './idempotency-ledger.js';
import { OAuthIssuer } from './oauth-issuer.js';
import { PaymentsFaults } from './payments-faults.js';
import { PaymentsLedger } from './payments-ledger.js';
import type { FakeDraft, FakeTransaction, FakeTransactionSeed } from './payments-records.js';
import { API_PREFIX, registerPaymentsRoutes } from './payments-routes.js';
import type { SignatureRejection } from './signature-check.js';

export interface FakeTransactionsOptions {
  /** @default 'fake-payments-client' */
  clientId?: string;
  /** @default 'fake-payments-client-secret' */
  clientSecret?: string;
  /** @default 'fake-payments-hmac-secret' */
  hmacSecret?: string;
  /** Scopes the client may be granted. @default ['transactions:read', 'transactions:write'] */
  scopes?: string[];
  /** Access token lifetime (`expires_in`). @default 3600 */
  tokenTtlSeconds?: number;
  /** How long a draft can be committed. @default 1800 */
  draftTtlSeconds?: number;
  /**
   * Start with four transactions: three of customer `C-1001` (txn_000001 completed 50000 USD on
   * account ACC-1, txn_000002 pending 1299 USD on ACC-1, txn_000003 failed 2500 EUR on ACC-2) and
   * one of `C-1002` (txn_000004 refunded 9900 GBP), created 2026-01-03 to 2026-01-12.
   * @default true
   */
  seed?: boolean;
  /** The fake's clock (token and draft expiry, signature timestamps). @default Date.now */
  now?: () => number;
}

/**
 * A fake payments API on loopback: seed 004's transaction status and transaction create
 * adapters as one generic REST API (not any vendor's), with an OAuth2 token endpoint,
 * request signatures, drafts, idempotent commits, and fault switches.
 *
 * Wire format (all JSON; errors are `{"error":{"code","message","field"?}}`):
 * - `POST {apiUrl}/oauth/token`: OAuth2 client credentials. Form body `grant_type=client_credentials`
 *   (`scope` optional, space-separated); client authentication by HTTP Basic or `client_id` and
 *   `client_secret` in the body. 200 `{access_token, token_type: "Bearer", expires_in, scope}`;
 *   401 `{"error":"invalid_client"}`; 400 `unsupported_grant_type`, `invalid_scope`, `invalid_request`.
 * - Every API call needs `Authorization: Bearer <live token>` (else 401 `invalid_token`) with
 *   scope `transactions:read` for GET and `transactions:write` for POST (else 403 `insufficient_scope`).
 * - Writes are signed: `X-Timestamp: <unix seconds>` (within 5 minutes) and `X-HMAC-Signature:`
 *   lower-case hex HMAC-SHA256 with the shared secret over
 *   `{timestamp}\n{METHOD}\n{path and query as sent}\n{raw body bytes}`; a read's signature is
 *   checked when sent. A refusal is 401 `invalid_signature` (see `signatureRejections`).
 * - `GET /api/v1/transactions/{id}` → a transaction: `{id, object: "transaction", status
 *   (pending|completed|failed|refunded), amount (integer minor units), currency (ISO 4217),
 *   customer_id, account_id, description, metadata, draft_id, created_at, completed_at}`.
 * - `GET /api/v1/customers/{customerId}/transactions?limit=1..100&cursor=&from=&to=&account_id=`
 *   → `{transactions: [...newest first], next_cursor}` (from/to inclusive, ISO 8601).
 * - `POST /api/v1/transactions/drafts` `{customer_id, account_id?, amount, currency, description?,
 *   metadata?}` → 201 a draft: `{id, object: "draft", status (pending|committed|cancelled|expired),
 *   amount, currency, customer_id, account_id, description, metadata, created_at, expires_at,
 *   transaction_id}`; 422 `invalid_request` naming `field` (a float amount is refused).
 * - `GET /api/v1/transactions/drafts/{id}` → the draft.
 * - `POST /api/v1/transactions/drafts/{id}/commit` `{draft_id}` with a required `Idempotency-Key`
 *   (else 400 `idempotency_key_required`) → 201 the transaction, `status: "completed"`, and one
 *   charge. 409 `draft_cancelled`, `draft_expired`, `draft_already_committed`.
 * - `POST /api/v1/transactions/drafts/{id}/cancel` → 200 the draft, cancelled; 409 once committed.
 * - Idempotency (any POST with `Idempotency-Key`, scoped to the OAuth client): the same key and
 *   the same method, path and body replay the stored answer with `Idempotent-Replayed: true`
 *   and execute nothing; the same key with another request is 422 `idempotency_key_reused`.
 *
 * @example
 * await using payments = await startFakeTransactions();
 * payments.dropConnectionOnNextCommit();
 * await transactions.call('commit_draft', { draftId }); // the retry gets the replayed answer
 * expect(payments.charges).toBe(1);
 */
export interface FakeTransactions extends AsyncDisposable {
  /** The server's root URL. */
  readonly url: string;
  /** The API base URL (`{url}/api/v1`): the connector's `baseUrl`. */
  readonly apiUrl: string;
  /** `{apiUrl}/oauth/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly hmacSecret: string;
  readonly upstream: FakeUpstream;
  readonly requests: readonly RecordedRequest[];
  requestsTo(method: string, path: string): RecordedRequest[];
  /** Requests to the token endpoint. */
  readonly tokenRequests: RecordedRequest[];
  /** Every access token issued, oldest first. */
  readonly issuedTokens: readonly string[];
  /** How many commits moved money. */
  readonly charges: number;
  /** How many answers were replayed from an idempotency key. */
  readonly replays: number;
  readonly signatureRejections: readonly { method: string; path: string; reason: SignatureRejection }[];
  readonly drafts: readonly FakeDraft[];
  readonly transactions: readonly FakeTransaction[];
  draft(id: string): FakeDraft | undefined;
  transaction(id: string): FakeTransaction | undefined;
  seedTransaction(seed: FakeTransactionSeed): FakeTransaction;
  /** Makes every token issued so far expire now (the next call with one gets 401 `invalid_token`). */
  expireTokens(): void;
  /** The next `times` API calls (default 1) answer `status`, before auth, executing nothing. */
  failNext(status: number, options?: { times?: number; retryAfter?: number }): void;
  /** API calls (every one, or the next `times`) answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(retryAfterSeconds: number, options?: { times?: number }): void;
  clearRateLimit(): void;
  /** The next commit that executes is applied and stored, then its connection is reset before any answer. */
  dropConnectionOnNextCommit(): void;
  close(): Promise<void>;
}

/** Starts a {@link FakeTransactions} on loopback. */
export async function startFakeTransactions(
  options: FakeTransactionsOptions = {},
): Promise<FakeTransactions> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? 'fake-payments-client';
  const clientSecret = options.clientSecret ?? 'fake-payments-client-secret';
  const hmacSecret = options.hmacSecret ?? 'fake-payments-hmac-secret';
  const upstream = await startFakeUpstream();
  const ledger = new PaymentsLedger(now, options.draftTtlSeconds ?? 1800);
  const issuer = new OAuthIssuer({
    clientId,
    clientSecret,
    scopes: options.scopes ?? ['transactions:read', 'transactions:write'],
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    now,
  });
  const idempotency = new IdempotencyLedger();
  const faults = new PaymentsFaults();
  const signatureRejections: { method: string; path: string; reason: SignatureRejection }[] = [];
  registerPaymentsRoutes(upstream, {
    ledger,
    issuer,
    idempotency,
    faults,
    hmacSecret,
    now,
    signatureRejections,
  });
  if (options.seed !== false) seedDefaults(ledger);
  const apiUrl = `${upstream.url}${API_PREFIX}`;

  return {
    url: upstream.url,
    apiUrl,
    tokenUrl: `${apiUrl}/oauth/token`,
    clientId,
    clientSecret,
    hmacSecret,
    upstream,
    get requests() {
      return upstream.requests;
    },
    requestsTo: (method, path) => upstream.requestsTo(method, path),
    get tokenRequests() {
      return upstream.requestsTo('POST', `${API_PREFIX}/oauth/token`);
    },
    get issuedTokens() {
      return issuer.issued.map((t) => t.token);
    },
    get charges() {
      return ledger.charges;
    },
    get replays() {
      return idempotency.replays;
    },
    signatureRejections,
    get drafts() {
      return [...ledger.drafts.values()];
    },
    get transactions() {
      return [...ledger.transactions.values()];
    },
    draft: (id) => ledger.draft(id),
    transaction: (id) => ledger.transactions.get(id),
    seedTransaction: (seed) => ledger.seedTransaction(seed),
    expireTokens: () => issuer.expireAll(),
    failNext: (status, failOptions = {}) =>
      faults.failNext(status, failOptions.times ?? 1, failOptions.retryAfter),
    rateLimit: (retryAfterSeconds, rateOptions = {}) =>
      faults.rateLimit(retryAfterSeconds, rateOptions.times ?? Number.POSITIVE_INFINITY),
    clearRateLimit: () => faults.clearRateLimit(),
    dropConnectionOnNextCommit() {
      faults.dropNextCommit = true;
    },
    close: () => upstream.close(),
    [Symbol.asyncDispose]: () => upstream.close(),
  };
}

function seedDefaults(ledger: PaymentsLedger): void {
  ledger.seedTransaction({
    amount: 50_000,
    currency: 'USD',
    customer_id: 'C-1001',
    account_id: 'ACC-1',
    description: 'Annual plan',
    status: 'completed',
    created_at: '2026-01-05T10:00:00.000Z',
    completed_at: '2026-01-05T10:05:00.000Z',
  });
  ledger.seedTransaction({
    amount: 1_299,
    currency: 'USD',
    customer_id: 'C-1001',
    account_id: 'ACC-1',
    description: 'Add-on seats',
    status: 'pending',
    created_at: '2026-01-10T09:00:00.000Z',
  });
  ledger.seedTransaction({
    amount: 2_500,
    currency: 'EUR',
    customer_id: 'C-1001',
    account_id: 'ACC-2',
    description: 'Top-up',
    status: 'failed',
    created_at: '2026-01-12T15:30:00.000Z',
  });
  ledger.seedTransaction({
    amount: 9_900,
    currency: 'GBP',
    customer_id: 'C-1002',
    description: 'Monthly plan',
    status: 'refunded',
    created_at: '2026-01-03T08:00:00.000Z',
    completed_at: '2026-01-03T08:01:00.000Z',
  });
}
