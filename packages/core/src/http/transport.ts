import type { Dispatcher } from 'undici';
import type { AttemptSignal } from '../policies/attempt-signal.js';
import { encodeBody } from './body.js';
import { readBodyCapped, readBodyPrefix } from './read-body.js';
import { TransportFailure } from './transport-failure.js';
import type { PreparedRequest, RawResponse } from './types.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/**
 * How much of an error body is kept: all of any realistic error document (an SDK behind
 * `client.fetch` parses it whole), but never a multi-megabyte error page.
 */
const ERROR_BODY_MAX_BYTES = 1024 * 1024;

export interface TransportOptions {
  dispatcher: Dispatcher;
  /** Time allowed from sending the request to the response headers. */
  headersTimeout: number;
  /** Longest pause allowed between two chunks of the body. */
  bodyTimeout: number;
  maxResponseBytes: number;
  maxRedirects: number;
  /** Header names that must not follow a redirect to another origin. */
  isCredentialHeader: (name: string) => boolean;
  /** Query parameter names that must not follow a redirect to another origin. */
  isCredentialParam: (name: string) => boolean;
}

/**
 * Sends one attempt and buffers its body. Redirects are followed for GET and HEAD only, up to
 * `maxRedirects`; crossing to another origin drops every credential header and parameter.
 */
export async function send(
  req: PreparedRequest,
  signal: AttemptSignal | undefined,
  options: TransportOptions,
): Promise<RawResponse> {
  const { body, contentType } = encodeBody(req);
  let headers = req.headers;
  if (contentType !== undefined && headers['content-type'] === undefined) {
    headers = { ...headers, 'content-type': contentType };
  }
  let origin = req.origin;
  let path = req.path;
  const followRedirects = req.method === 'GET' || req.method === 'HEAD';

  for (let redirects = 0; ; redirects++) {
    const res = await options.dispatcher.request({
      origin,
      path,
      method: req.method,
      headers,
      body,
      signal,
      headersTimeout: options.headersTimeout,
      bodyTimeout: options.bodyTimeout,
    });

    const location = res.headers.location;
    if (followRedirects && REDIRECT_STATUSES.has(res.statusCode) && typeof location === 'string') {
      await res.body.dump();
      if (redirects >= options.maxRedirects) {
        throw new TransportFailure(
          'TOO_MANY_REDIRECTS',
          `more than ${options.maxRedirects} redirects`,
          res.statusCode,
        );
      }
      let next: URL;
      try {
        next = new URL(location, origin + path);
      } catch {
        throw new TransportFailure(
          'INVALID_RESPONSE',
          'redirect Location is not a valid URL',
          res.statusCode,
        );
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new TransportFailure('INVALID_RESPONSE', `redirect to unsupported scheme ${next.protocol}`);
      }
      if (next.origin !== origin) {
        headers = withoutCredentialHeaders(headers, options.isCredentialHeader);
        for (const name of [...next.searchParams.keys()]) {
          if (options.isCredentialParam(name)) next.searchParams.delete(name);
        }
      }
      origin = next.origin;
      path = next.pathname + next.search;
      continue;
    }

    const ok = res.statusCode >= 200 && res.statusCode < 300;
    let buffered: Buffer;
    if (req.method === 'HEAD') {
      await res.body.dump();
      buffered = Buffer.alloc(0);
    } else if (ok) {
      buffered = await readBodyCapped(
        res.body,
        res.headers['content-length'],
        options.maxResponseBytes,
        res.statusCode,
      );
    } else {
      buffered = await readBodyPrefix(res.body, Math.min(ERROR_BODY_MAX_BYTES, options.maxResponseBytes));
    }
    return { status: res.statusCode, headers: res.headers, body: buffered, url: origin + path };
  }
}

function withoutCredentialHeaders(
  headers: Record<string, string>,
  isCredentialHeader: (name: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isCredentialHeader(name)) out[name] = value;
  }
  return out;
}
