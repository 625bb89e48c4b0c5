import { randomUUID } from 'node:crypto';
import type { HttpMethod, PreparedRequest } from '../http/types.js';
import { appendParams, type ParsedBase, resolveTarget } from '../http/url.js';
import type { RequestOptions } from './client.js';

const METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface RequestDefaults {
  base: ParsedBase;
  /** Lower-case names. */
  defaultHeaders: Record<string, string>;
  /** Lower-case name of the idempotency header. */
  idempotencyHeader: string | false;
}

/** Turns a call's method, target and options into the request the pipeline works on. */
export function prepareRequest(
  method: HttpMethod,
  target: string,
  callOptions: RequestOptions,
  defaults: RequestDefaults,
): PreparedRequest {
  const { base, defaultHeaders } = defaults;
  if (!METHODS.has(method))
    throw new TypeError(`method must be one of ${[...METHODS].join(', ')}, got ${method}`);
  const bodies = [callOptions.json, callOptions.form, callOptions.body].filter((b) => b !== undefined).length;
  if (bodies > 1) throw new TypeError('give only one of json, form and body');
  const { origin, path } = resolveTarget(base, target);
  const headers = callOptions.headers
    ? { ...defaultHeaders, ...lowerCaseKeys(callOptions.headers) }
    : { ...defaultHeaders };
  const req: PreparedRequest = {
    method,
    origin,
    path: appendParams(path, callOptions.params),
    headers,
    operation: callOptions.operation ?? 'request',
  };
  if (callOptions.json !== undefined) req.json = callOptions.json;
  if (callOptions.form !== undefined) req.form = new URLSearchParams(callOptions.form);
  if (callOptions.body !== undefined) req.body = callOptions.body;
  // An upstream without idempotency support gets no key: it must not make a retry look safe.
  if (callOptions.idempotencyKey !== undefined && defaults.idempotencyHeader !== false) {
    const key = callOptions.idempotencyKey === true ? randomUUID() : callOptions.idempotencyKey;
    req.idempotencyKey = key;
    headers[defaults.idempotencyHeader] = key;
  }
  return req;
}

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
