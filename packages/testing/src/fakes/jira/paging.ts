import type { RecordedRequest } from '../../types.js';

/**
 * Reads `startAt` and `maxResults` as Jira does: missing means 0 and the endpoint's default;
 * `maxResults` is capped at the endpoint's maximum (Jira returns fewer, not an error).
 * `undefined` when either is not a non-negative integer.
 */
export function offsetParams(
  request: RecordedRequest,
  defaults: { maxResults: number; cap: number },
): { startAt: number; maxResults: number } | undefined {
  const startAt = integerParam(request.query.startAt, 0);
  const maxResults = integerParam(request.query.maxResults, defaults.maxResults);
  if (startAt === undefined || maxResults === undefined) return undefined;
  return { startAt, maxResults: Math.min(maxResults, defaults.cap) };
}

function integerParam(value: string | string[] | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const text = Array.isArray(value) ? value[0]! : value;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

interface PageToken {
  /** The query the token belongs to: a token only continues the search that issued it. */
  jql: string;
  offset: number;
}

/** An opaque `nextPageToken` that remembers the query and where the next page starts. */
export function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The token's position, or `undefined` when it is malformed or was issued for another query. */
export function decodePageToken(text: string, jql: string): number | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<PageToken>;
    if (token.jql !== jql || !Number.isInteger(token.offset) || token.offset! < 0) return undefined;
    return token.offset;
  } catch {
    return undefined;
  }
}

/** One value of a query parameter that may have been repeated. */
export function queryParam(request: RecordedRequest, name: string): string | undefined {
  const value = request.query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a query parameter, split on commas as Jira accepts lists either way. */
export function queryList(request: RecordedRequest, name: string): string[] {
  const value = request.query[name];
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
