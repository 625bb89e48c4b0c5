import type { FakeUpstream } from '../../fake-upstream.js';
import type { FakeResponse, RecordedRequest } from '../../types.js';
import { checkDraftBody } from './draft-validation.js';
import { type IdempotencyLedger, idempotencyKeyOf } from './idempotency-ledger.js';
import type { IssuedToken, OAuthIssuer } from './oauth-issuer.js';
import type { PaymentsFaults } from './payments-faults.js';
import type { PaymentsLedger } from './payments-ledger.js';
import { paymentsError } from './payments-records.js';
import { checkSignature, type SignatureRejection } from './signature-check.js';

export interface PaymentsParts {
  ledger: PaymentsLedger;
  issuer: OAuthIssuer;
  idempotency: IdempotencyLedger;
  faults: PaymentsFaults;
  hmacSecret: string;
  now: () => number;
  /** Each refused signature, for tests to read. */
  signatureRejections: { method: string; path: string; reason: SignatureRejection }[];
}

type Handler = (req: RecordedRequest, token: IssuedToken) => FakeResponse;

export const API_PREFIX = '/api/v1';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Registers the token endpoint and the payments API (wire format: see `FakeTransactions`). */
export function registerPaymentsRoutes(up: FakeUpstream, parts: PaymentsParts): void {
  const { ledger, issuer, idempotency, faults } = parts;

  up.on('POST', `${API_PREFIX}/oauth/token`, (req) => issuer.token(req));

  const api = (method: 'GET' | 'POST', path: string, handler: Handler) =>
    up.on(method, `${API_PREFIX}${path}`, (req) => guard(parts, req, handler));

  api('GET', '/health', () => ({ json: { status: 'ok' } }));

  api('GET', '/transactions/:id', (req) => {
    const transaction = ledger.transactions.get(req.params.id ?? '');
    return transaction ? { json: transaction } : notFound('transaction', req.params.id);
  });

  api('GET', '/customers/:customerId/transactions', (req) => {
    const q = (name: string) =>
      typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    const limit = Number(q('limit') ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return invalid('limit', 'limit must be an integer from 1 to 100');
    }
    for (const bound of ['from', 'to'] as const) {
      const value = q(bound);
      if (value !== undefined && Number.isNaN(Date.parse(value))) {
        return invalid(bound, `${bound} must be an ISO 8601 time`);
      }
    }
    const cursor = q('cursor');
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined) return invalid('cursor', 'cursor is not valid');
    const result = ledger.history({
      customerId: req.params.customerId ?? '',
      accountId: q('account_id'),
      from: q('from'),
      to: q('to'),
      limit,
      after,
    });
    if (!result) return invalid('cursor', 'cursor is not valid');
    const last = result.page.at(-1);
    return {
      json: {
        transactions: result.page,
        next_cursor: result.hasMore && last ? encodeCursor(last.id) : null,
      },
    };
  });

  api('POST', '/transactions/drafts', (req, token) => {
    const body = jsonBody(req);
    if (!body.ok) return body.response;
    const checked = checkDraftBody(body.value);
    if (!checked.ok) return checked.response;
    const create = (): FakeResponse => ({ status: 201, json: ledger.createDraft(checked.fields) });
    const key = idempotencyKeyOf(req);
    return key === undefined ? create() : idempotency.run(req, token.clientId, key, create);
  });

  api('GET', '/transactions/drafts/:id', (req) => {
    const draft = ledger.draft(req.params.id ?? '');
    return draft ? { json: draft } : notFound('draft', req.params.id);
  });

  api('POST', '/transactions/drafts/:id/commit', (req, token) => {
    const id = req.params.id ?? '';
    const key = idempotencyKeyOf(req);
    if (key === undefined) {
      return {
        status: 400,
        json: paymentsError('idempotency_key_required', 'A commit needs an Idempotency-Key header'),
      };
    }
    if (req.body.length > 0) {
      const body = jsonBody(req);
      if (!body.ok) return body.response;
      const draftId = (body.value as { draft_id?: unknown } | null)?.draft_id;
      if (draftId !== undefined && draftId !== id)
        return invalid('draft_id', 'draft_id does not match the path');
    }
    let executed = false;
    const answer = idempotency.run(req, token.clientId, key, () => {
      executed = true;
      return ledger.commit(id);
    });
    // The commit is applied and its answer stored; only the answer is lost on the way.
    if (executed && faults.dropNextCommit) {
      faults.dropNextCommit = false;
      return { drop: 'before-headers' };
    }
    return answer;
  });

  api('POST', '/transactions/drafts/:id/cancel', (req, token) => {
    const cancel = () => ledger.cancel(req.params.id ?? '');
    const key = idempotencyKeyOf(req);
    return key === undefined ? cancel() : idempotency.run(req, token.clientId, key, cancel);
  });
}

/** Faults, then the bearer token, its scope, and the signature; then the handler. */
function guard(parts: PaymentsParts, req: RecordedRequest, handler: Handler): FakeResponse {
  const fault = parts.faults.take();
  if (fault) return fault;
  const token = parts.issuer.holder(req.headers.authorization);
  if (!token) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      json: paymentsError('invalid_token', 'The access token is missing, unknown or expired'),
    };
  }
  const write = req.method !== 'GET';
  const scope = write ? 'transactions:write' : 'transactions:read';
  if (!token.scopes.includes(scope)) {
    return {
      status: 403,
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
      json: paymentsError('insufficient_scope', `This call needs the ${scope} scope`),
    };
  }
  // Writes must be signed; a read's signature, when sent, must hold too.
  if (write || req.headers['x-hmac-signature'] !== undefined) {
    const check = checkSignature(req, parts.hmacSecret, parts.now());
    if (!check.ok) {
      parts.signatureRejections.push({ method: req.method, path: req.url, reason: check.reason });
      return { status: 401, json: paymentsError('invalid_signature', `Signature refused: ${check.reason}`) };
    }
  }
  if (req.params.id !== undefined && !ID.test(req.params.id)) return notFound('resource', req.params.id);
  return handler(req, token);
}

function jsonBody(
  req: RecordedRequest,
): { ok: true; value: unknown } | { ok: false; response: FakeResponse } {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return { ok: false, response: invalid('body', 'The body must be application/json') };
  }
  try {
    return { ok: true, value: req.json() };
  } catch {
    return { ok: false, response: invalid('body', 'The body is not valid JSON') };
  }
}

function invalid(field: string, message: string): FakeResponse {
  return { status: 422, json: paymentsError('invalid_request', message, field) };
}

function notFound(what: string, id: string | undefined): FakeResponse {
  return { status: 404, json: paymentsError('not_found', `No ${what} ${id ?? ''}`.trim()) };
}

function encodeCursor(id: string): string {
  return Buffer.from(`after:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
  const match = /^after:([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1];
}
