export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export type ParamValue = string | number | boolean | null | undefined;
/** Query parameters; `undefined` and `null` are left out, arrays repeat the name. */
export type Params = Record<string, ParamValue | readonly ParamValue[]>;

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * A request as the pipeline sees it: fully resolved, mutable by `prepareRequest` and by auth.
 * The body stays unencoded until it is sent, so auth can add a key to it and a retry re-sends it.
 */
export interface PreparedRequest {
  method: HttpMethod;
  /** `https://host:port`, no trailing slash. */
  origin: string;
  /** Path and query, starting with `/`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  json?: unknown;
  form?: URLSearchParams;
  body?: string | Uint8Array;
  /** Logical operation name, for metrics, logs and errors. */
  operation: string;
  /** Sent as the idempotency header; makes a POST/PATCH safe to retry. */
  idempotencyKey?: string;
}

/** What the transport hands back: status, headers and the buffered body. */
export interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
  /** Final URL after redirects (not redacted: internal only). */
  url: string;
}

/** What `client.request()` resolves to. */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  /** Parsed body: JSON for JSON content types, text otherwise, `null` when empty. */
  body: T;
  /** Wall time of the whole call, retries and waits included. */
  durationMs: number;
  /** How many attempts the call took (1 when the first one succeeded). */
  attempts: number;
}
