import type { RecordedRequest } from '../types.js';
import { isJsonMediaType, mediaTypeOf } from './media-types.js';
import type { ContractRequest } from './types.js';

/**
 * A request from a fake upstream's log as a {@link ContractRequest}: a JSON body (by its
 * `content-type`) is parsed, a `application/x-www-form-urlencoded` body becomes an object (a field
 * sent twice becomes an array), any other non-empty body is kept as text.
 *
 * @example
 * ```ts
 * for (const recorded of up.requests) {
 *   expect(vendorContract('slack').checkRequest(contractRequestOf(recorded))).toEqual([]);
 * }
 * ```
 */
export function contractRequestOf(recorded: RecordedRequest): ContractRequest {
  return { method: recorded.method, url: recorded.url, headers: recorded.headers, body: bodyOf(recorded) };
}

function bodyOf(recorded: RecordedRequest): unknown {
  if (recorded.body.length === 0) return undefined;
  const mediaType = mediaTypeOf(recorded.headers['content-type']);
  if (mediaType && isJsonMediaType(mediaType)) return recorded.json();
  if (mediaType === 'application/x-www-form-urlencoded') return formOf(recorded.text);
  return recorded.text;
}

function formOf(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = form[name];
    if (seen === undefined) form[name] = value;
    else form[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return form;
}
