import { createHash } from 'node:crypto';
import type { FakeResponse, RecordedRequest } from '../../types.js';

/**
 * Zendesk's idempotent ticket creation: a `POST /api/v2/tickets` with an `Idempotency-Key`
 * creates one ticket, answered with `x-idempotency-lookup: miss`; the same key with the same
 * body answers the stored response with `x-idempotency-lookup: hit` and creates nothing; the
 * same key with another body is a 400 `IdempotentRequestError`. (Zendesk keeps keys two hours;
 * the fake keeps them for its lifetime.)
 */
export class TicketIdempotency {
  readonly #stored = new Map<string, { fingerprint: string; response: FakeResponse }>();

  run(req: RecordedRequest, create: () => FakeResponse): FakeResponse {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return create();
    const fingerprint = createHash('sha256').update(req.body).digest('hex');
    const stored = this.#stored.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        return {
          status: 400,
          json: {
            error: 'IdempotentRequestError',
            description: 'The Idempotency-Key was already used with different request parameters',
          },
        };
      }
      return withLookup(stored.response, 'hit');
    }
    const response = create();
    // Only a ticket actually created is remembered: a refused request may be corrected and sent again.
    if ((response.status ?? 200) < 300) this.#stored.set(key, { fingerprint, response });
    return withLookup(response, 'miss');
  }
}

function withLookup(response: FakeResponse, lookup: 'hit' | 'miss'): FakeResponse {
  return { ...response, headers: { ...response.headers, 'x-idempotency-lookup': lookup } };
}
