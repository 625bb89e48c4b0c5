import { STATUS_CODES } from 'node:http';
import type { FakeResponse } from './types.js';

type Headers = Record<string, string | string[]>;

/** Options of {@link reply.rateLimited}. */
export interface RateLimitedOptions {
  /**
   * The `Retry-After` value: seconds (`1`, `'120'`) or an HTTP date (`'Wed, 21 Oct 2015 07:28:00 GMT'`).
   * Omitted: no `Retry-After` header.
   */
  retryAfter?: string | number;
  /** More headers, e.g. `{ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }`. */
  headers?: Headers;
}

/**
 * Builders for the responses tests script most often. Each returns a plain {@link FakeResponse},
 * which can be spread to add a fault: `{ ...reply.json(200, data), delayMs: 500 }`.
 *
 * @example
 * ```ts
 * up.on('GET', '/issues', reply.rateLimited({ retryAfter: 2 }), reply.serverError(), reply.json(200, []));
 * ```
 */
export const reply = {
  /**
   * A JSON response.
   * @example
   * ```ts
   * reply.json(200, { id: 1 }, { etag: '"v1"' })
   * ```
   */
  json(status: number, body: unknown, headers?: Headers): FakeResponse {
    return { status, json: body, ...(headers && { headers }) };
  },

  /**
   * A response with no body.
   * @example
   * ```ts
   * reply.status(204)
   * reply.status(301, { location: '/moved' })
   * ```
   */
  status(status: number, headers?: Headers): FakeResponse {
    return { status, ...(headers && { headers }) };
  },

  /**
   * A `429 Too Many Requests`, with `Retry-After` when given, and a JSON message.
   * @example
   * ```ts
   * reply.rateLimited({ retryAfter: 30 })
   * reply.rateLimited({ headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetEpoch) } })
   * ```
   */
  rateLimited(options: RateLimitedOptions = {}): FakeResponse {
    const headers: Headers = { ...options.headers };
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    return { status: 429, headers, json: { message: 'API rate limit exceeded' } };
  },

  /**
   * A 5xx response with a JSON message.
   * @param status - the status code, 503 when omitted
   * @example
   * ```ts
   * reply.serverError()                              // 503
   * reply.serverError(502)
   * reply.serverError(503, { 'retry-after': '1' })
   * ```
   */
  serverError(status = 503, headers?: Headers): FakeResponse {
    return { status, json: { message: STATUS_CODES[status] ?? 'Server Error' }, ...(headers && { headers }) };
  },
};
