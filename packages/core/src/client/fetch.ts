import { attachedResponse } from '../errors/attached-response.js';
import { isIntegrationError } from '../errors/integration-error.js';
import type { ApiResponse, HttpMethod, ResponseHeaders } from '../http/types.js';
import type { RequestOptions } from './client.js';

type Execute = (
  method: HttpMethod,
  target: string,
  options: RequestOptions,
) => Promise<ApiResponse<Buffer | null>>;

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A WHATWG `fetch` whose requests run through the client's whole pipeline (auth, retries,
 * timeouts, limits, metrics, redaction), for vendor SDKs that accept a custom fetch (Octokit,
 * OpenAI). Like fetch, an HTTP error status resolves to a Response (the SDK reads it); only a
 * request that got no response rejects, with a TypeError whose `cause` is the typed error.
 * Requests must stay on the client's origin: its credentials go nowhere else.
 */
export function createFetch(origin: string, execute: Execute): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== origin) {
      throw new TypeError(`client.fetch only reaches ${origin}, not ${url.origin}`);
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const method = request.method.toUpperCase() as HttpMethod;
    const options: RequestOptions = { headers, signal: request.signal, operation: 'fetch' };
    if (method !== 'GET' && method !== 'HEAD' && request.body !== null) {
      options.body = Buffer.from(await request.arrayBuffer());
    }
    const key = headers['idempotency-key'];
    if (key !== undefined) options.idempotencyKey = key;
    try {
      const res = await execute(method, url.pathname + url.search, options);
      return toResponse(res.status, res.headers, res.body);
    } catch (error) {
      const upstream = attachedResponse(error);
      if (upstream) return toResponse(upstream.status, upstream.headers, upstream.body);
      if (isIntegrationError(error)) throw new TypeError(`fetch failed: ${error.message}`, { cause: error });
      throw error;
    }
  };
}

function toResponse(status: number, raw: ResponseHeaders, body: Buffer | null): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const payload =
    NULL_BODY_STATUSES.has(status) || body === null || body.length === 0 ? null : new Uint8Array(body);
  return new Response(payload, { status, headers });
}
