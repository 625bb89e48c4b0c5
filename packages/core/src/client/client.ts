import type { ApiResponse, HttpMethod, Params } from '../http/types.js';
import type { CircuitState } from '../policies/circuit-breaker/breaker-core.js';
import type { RateLimitSnapshot } from '../policies/rate-limit/rate-limiter.js';
import type { RetryOptions } from '../policies/retry-options.js';
import type { ClientMetricsSnapshot } from '../telemetry/client-metrics.js';

/** Per-call options. Only one of `json`, `form` and `body` may be given. */
export interface RequestOptions {
  /** Merged over the client's default headers. */
  headers?: Record<string, string>;
  params?: Params;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string> | URLSearchParams;
  /** Sent as is; retries re-send it, so streams are not accepted. */
  body?: string | Uint8Array;
  /** Per-attempt timeout for this call, in ms. */
  timeout?: number;
  /** Deadline for the whole call, retries included, in ms. */
  totalTimeout?: number;
  /** Aborting it ends the call at once, even mid-backoff; the promise rejects with its reason. */
  signal?: AbortSignal;
  /**
   * Makes a POST or PATCH safe to retry. `true` generates a UUID, kept for every attempt.
   * @example { idempotencyKey: `commit-${draftId}` }
   */
  idempotencyKey?: string | true;
  /** Names the call in metrics, logs and errors. @default 'request' */
  operation?: string;
  /** Overrides the client's retry settings for this call; `false` for no retry. */
  retry?: RetryOptions | false;
  /** Overrides the client's response size cap for this call. */
  maxResponseBytes?: number;
  /**
   * Do not send a write (anything but GET/HEAD/OPTIONS): throw a `DryRunStop` carrying the request
   * it would send, secrets redacted. Reads go out as usual.
   */
  dryRun?: boolean;
}

export interface ClientStatus {
  rateLimit: RateLimitSnapshot | undefined;
  circuitBreaker: { state: CircuitState; opens: number } | undefined;
}

/** A resilient HTTP client for one integration. */
export interface Client extends AsyncDisposable {
  readonly name: string;
  /** The full exchange: status, headers, parsed body, duration and attempts. */
  request<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** The parsed body (JSON, text, or `null` when empty). */
  get<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  post<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  put<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  patch<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  delete<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  /** The body parsed as JSON whatever its content type; `null` when empty (seed 000). */
  requestJson<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T | null>;
  /** The raw body; `null` when empty (seed 000). */
  requestBytes(method: HttpMethod, path: string, options?: RequestOptions): Promise<Uint8Array | null>;
  /**
   * A WHATWG fetch through this client's pipeline, for SDKs that take a custom fetch.
   * @example new Octokit({ baseUrl, request: { fetch: github.fetch } })
   */
  fetch: typeof fetch;
  /** Never throws: true when the upstream answers as the health check expects. */
  healthCheck(): Promise<boolean>;
  getMetrics(): ClientMetricsSnapshot;
  /** Live protection state for a status page: rate-limit budget left, pauses, breaker state. */
  getStatus(): Promise<ClientStatus>;
  resetMetrics(): void;
  /** Waits for calls in flight, then closes the connection pool. */
  close(): Promise<void>;
}
