import { createHash } from 'node:crypto';
import type { FakeResponse, RecordedRequest } from '../../types.js';
import { paymentsError } from './payments-records.js';

interface StoredOutcome {
  fingerprint: string;
  response: FakeResponse;
}

/**
 * Idempotency keys as Stripe defines them: the first request with a key that reaches the
 * ledger stores its outcome (success or a business refusal such as 409); the same key with the
 * same method, path and body gets that outcome again, marked `Idempotent-Replayed: true`, and
 * nothing is executed twice; the same key with another request is refused with 422
 * `idempotency_key_reused`. Keys are scoped to the OAuth client. Requests refused before they
 * reach the ledger (auth, signature, validation, injected faults) store nothing.
 */
export class IdempotencyLedger {
  readonly #outcomes = new Map<string, StoredOutcome>();
  /** How many answers were replayed rather than executed. */
  replays = 0;

  /** Runs `execute` once per key; replays its stored outcome after that. */
  run(req: RecordedRequest, clientId: string, key: string, execute: () => FakeResponse): FakeResponse {
    const scoped = `${clientId}\0${key}`;
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.path}\n`)
      .update(req.body)
      .digest('hex');
    const stored = this.#outcomes.get(scoped);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        return {
          status: 422,
          json: paymentsError(
            'idempotency_key_reused',
            'This Idempotency-Key was used with a different request; use a new key for a new request',
          ),
        };
      }
      this.replays++;
      return { ...stored.response, headers: { ...stored.response.headers, 'idempotent-replayed': 'true' } };
    }
    const response = execute();
    this.#outcomes.set(scoped, { fingerprint, response });
    return response;
  }
}

/** The request's `Idempotency-Key`, when it carries one usable. */
export function idempotencyKeyOf(req: RecordedRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' && key.length > 0 && key.length <= 255 ? key : undefined;
}
