import type { FakeResponse } from '../../types.js';
import {
  PRIMARY_LIMIT_DOCS,
  primaryLimitMessage,
  SECONDARY_LIMIT_DOCS,
  SECONDARY_LIMIT_MESSAGE,
} from './errors.js';
import { withHeaders } from './headers.js';
import type { QuotaBook, QuotaResource } from './quota.js';

/** Answers queued for the next requests, one each, before any route runs. */
export type FaultQueue = ((quota: QuotaBook, resource: QuotaResource, userId: number) => FakeResponse)[];

/**
 * GitHub's answer to an exhausted primary limit: 403 (or 429), `x-ratelimit-remaining: 0`, and
 * `x-ratelimit-reset` in epoch seconds; no `retry-after`.
 */
export function primaryLimitResponse(
  quota: QuotaBook,
  resource: QuotaResource,
  userId: number,
  status: 403 | 429,
  resetInSeconds?: number,
): FakeResponse {
  const headers = quota.headers(resource);
  const limit = headers['x-ratelimit-limit']!;
  return withHeaders(
    { status, json: { message: primaryLimitMessage(userId), documentation_url: PRIMARY_LIMIT_DOCS } },
    {
      ...headers,
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': limit,
      ...(resetInSeconds === undefined
        ? {}
        : { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds) }),
    },
  );
}

/**
 * GitHub's answer to a secondary limit (too many requests at once, too much content created):
 * 403 (or 429) with quota left, the message naming a secondary rate limit, and `retry-after`
 * when GitHub gives one.
 */
export function secondaryLimitResponse(
  quota: QuotaBook,
  resource: QuotaResource,
  status: 403 | 429,
  retryAfterSeconds: number | undefined,
): FakeResponse {
  return withHeaders(
    {
      status,
      json: { message: SECONDARY_LIMIT_MESSAGE, documentation_url: SECONDARY_LIMIT_DOCS },
      ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
    },
    quota.headers(resource),
  );
}
