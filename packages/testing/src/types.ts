/**
 * One scripted answer of a fake upstream: what to send, and which fault to inject while sending it.
 *
 * At most one body source should be set: `json`, `body`, `chunks` or `bytes` (checked in that order;
 * `malformedJson` replaces the body). Every delay ends at once when the upstream is closed.
 *
 * @example
 * ```ts
 * up.on('GET', '/user', { status: 200, json: { login: 'octocat' }, headers: { etag: '"abc"' } });
 * up.on('GET', '/slow', { delayMs: 2_000, json: {} }); // the client waits 2 s for headers
 * up.on('GET', '/reset', { drop: 'before-headers' });   // the client sees ECONNRESET
 * ```
 */
export interface FakeResponse {
  /**
   * HTTP status code.
   * @default 200
   */
  status?: number;
  /** Response headers. They win over the ones the fake sets itself (`content-type`, `content-length`). */
  headers?: Record<string, string | string[]>;
  /** A value sent as JSON, with `content-type: application/json`. */
  json?: unknown;
  /** A raw body, sent as given. */
  body?: string | Uint8Array;
  /** Wait this long before sending the status line and headers (to trip a headers timeout). */
  delayMs?: number;
  /** Send the headers at once, then wait this long before the first byte of the body (to trip a body timeout). */
  bodyDelayMs?: number;
  /**
   * A slow streaming body: `count` pieces of `chunk`, with `intervalMs` between two pieces.
   * The body is `count * chunk.length` bytes long.
   * @example
   * ```ts
   * up.on('GET', '/events', { chunks: { count: 10, intervalMs: 100, chunk: 'data: tick\n\n' } });
   * ```
   */
  chunks?: {
    /** How many pieces to send. */
    count: number;
    /** The pause between two pieces, in milliseconds. */
    intervalMs: number;
    /**
     * The text of one piece.
     * @default 'x'
     */
    chunk?: string;
  };
  /**
   * Stream a body of exactly this many bytes (each one `x`), written in 64 KiB pieces that follow the
   * socket's backpressure, so a body of gigabytes costs no memory.
   * @example
   * ```ts
   * up.on('GET', '/export.bin', { bytes: 50 * 1024 * 1024 }); // 50 MiB, to test response size limits
   * ```
   */
  bytes?: number;
  /**
   * Send no `content-length`: the body goes out with `transfer-encoding: chunked`.
   * @default false
   */
  omitContentLength?: boolean;
  /**
   * Reset the connection (TCP RST, the client sees ECONNRESET) at this point:
   * - `'before-headers'`: after `delayMs`, before any byte of the response;
   * - `'mid-body'`: after the headers (which announce the whole length) and the first half of the body
   *   (a 1 KiB body is used when none is given). A small body's first half always reaches the client;
   *   of a body larger than the socket buffers, the bytes still buffered when the reset goes out are lost.
   */
  drop?: 'before-headers' | 'mid-body';
  /**
   * Send `content-type: application/json` with a body that is not valid JSON: the first half of the
   * serialized `json` when given, else a truncated object.
   * @default false
   */
  malformedJson?: boolean;
}

/**
 * A request as the fake upstream received it, kept in `up.requests`.
 *
 * @example
 * ```ts
 * const [req] = up.requestsTo('POST', '/repos/acme/api/issues');
 * expect(req.headers.authorization).toBe('Bearer t0ken');
 * expect(req.json()).toEqual({ title: 'Bug' });
 * ```
 */
export interface RecordedRequest {
  /** Upper-case method, e.g. `'GET'`. */
  method: string;
  /** The path, without the query string, as sent (not percent-decoded), e.g. `'/search/repositories'`. */
  path: string;
  /** The path and the query string, as sent, e.g. `'/search/repositories?q=cli'`. */
  url: string;
  /** The query parameters, decoded; a name given more than once maps to an array. */
  query: Record<string, string | string[]>;
  /** The request headers, with lower-case names (`set-cookie` is an array, other repeats are joined). */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body (empty when there was none). */
  body: Buffer;
  /** The body decoded as UTF-8. */
  text: string;
  /** The body parsed as JSON. Throws a `SyntaxError` when it is not JSON. */
  json(): unknown;
  /** The values of the route's `:param` segments (and `'*'` for a trailing wildcard), percent-decoded. */
  params: Record<string, string>;
  /** When the request's head arrived, in milliseconds since the epoch (`Date.now()`). */
  receivedAt: number;
}

/**
 * What a route answers with: a fixed {@link FakeResponse}, or a function of the request.
 *
 * @example
 * ```ts
 * up.on('POST', '/echo', (req) => ({ status: 201, json: { got: req.json() } }));
 * ```
 */
export type Responder = FakeResponse | ((request: RecordedRequest) => FakeResponse | Promise<FakeResponse>);

/** An HTTP method, or `'*'` for any method. Matched without regard to case. */
export type FakeMethod =
  | 'GET'
  | 'HEAD'
  | 'POST'
  | 'PUT'
  | 'PATCH'
  | 'DELETE'
  | 'OPTIONS'
  | '*'
  | (string & Record<never, never>);
