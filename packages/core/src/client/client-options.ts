import type { Registry } from 'prom-client';
import type { Dispatcher } from 'undici';
import type { AuthStrategy } from '../auth/auth-strategy.js';
import type { HmacSigner } from '../auth/hmac/hmac-signer.js';
import type { EgressOptions } from '../http/egress.js';
import type { ApiResponse, PreparedRequest } from '../http/types.js';
import type { CircuitBreakerConfig } from '../policies/circuit-breaker/options.js';
import type { Clock } from '../policies/clock.js';
import type { RateLimitOptions } from '../policies/rate-limit/rate-limit-options.js';
import type { RetryOptions } from '../policies/retry-options.js';
import type { RedactorOptions } from '../redact/redactor.js';
import type { StateStore } from '../state/state-store.js';
import type { Logger } from '../telemetry/logger.js';
import type { Client } from './client.js';

/**
 * Everything `createClient` accepts: seed 001's `APIClientConfig` in camelCase, times in
 * milliseconds.
 */
export interface ClientOptions {
  /** Names the client in logs (`patchbay.integration.<name>`), metrics and errors. */
  name: string;
  /** @example 'https://api.github.com' */
  baseUrl: string;
  /** @default noAuth() */
  auth?: AuthStrategy;
  /**
   * Token bucket shared by every caller of this integration and credential (and by every
   * process, with a Redis store), learning from `Retry-After`, `X-RateLimit-*` and `RateLimit`.
   * @example { maxRequests: 5000, windowSeconds: 3600, burstSize: 100 }
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * Circuit breaker around the whole call (retries included): an open breaker answers
   * `CircuitOpenError` without touching the network. Off unless given (seed 001's default).
   * @example { failureThreshold: 5, minimumCalls: 5, recoveryTimeout: 30_000 }
   */
  circuitBreaker?: CircuitBreakerConfig | false;
  /**
   * Where breaker state and rate-limit buckets live: a RedisStore makes processes act as one.
   * @default a MemoryStore of this client's own
   */
  store?: StateStore;
  /**
   * Identifies the credential in shared-state keys, so two tokens for one integration get two
   * buckets. Never the credential itself.
   * @default 'default'
   */
  credentialId?: string;
  /**
   * Request signing (seed 004's `X-HMAC-Signature`), applied to each attempt after auth.
   * @example sign: hmacSigner({ secret: process.env.PAYMENTS_HMAC_SECRET! })
   */
  sign?: HmacSigner;
  /** Retry settings, or `false` for none. */
  retry?: RetryOptions | false;
  /**
   * The whole of one attempt, connect to last body byte.
   * @default 30000
   */
  timeout?: number;
  /**
   * TCP (and TLS) connect.
   * @default 10000
   */
  connectTimeout?: number;
  /**
   * From sending the request to receiving the response headers.
   * @default timeout
   */
  headersTimeout?: number;
  /**
   * Longest silence between two chunks of the response body.
   * @default timeout
   */
  bodyTimeout?: number;
  /**
   * The whole call: every attempt and every wait between them.
   * @default 120000
   */
  totalTimeout?: number;
  /** @default { 'user-agent': 'patchbay/0.1', accept: 'application/json' } */
  defaultHeaders?: Record<string, string>;
  /**
   * Log each request (debug).
   * @default true
   */
  logRequests?: boolean;
  /**
   * Log each response (debug on success; failures are always logged).
   * @default true
   */
  logResponses?: boolean;
  /**
   * Put the response body (redacted, truncated to 500 chars) in response and failure logs.
   * @default false
   */
  logResponseBody?: boolean;
  /**
   * Connections per origin in the pool.
   * @default 100
   */
  maxConnections?: number;
  /**
   * How long an idle keep-alive connection is kept, in ms.
   * @default 4000
   */
  keepAliveTimeout?: number;
  /**
   * A successful response larger than this is refused, not buffered.
   * @default 10485760 (10 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Redirects followed for GET and HEAD (other methods never follow one).
   * @default 5
   */
  maxRedirects?: number;
  /**
   * Header carrying the idempotency key, or `false` for an upstream that ignores such keys
   * (GitHub, Slack, Jira): then no key is sent, and a key never makes a POST safe to retry there,
   * since a retried POST could apply twice.
   * @default 'Idempotency-Key'
   */
  idempotencyHeader?: string | false;
  /** Extra secrets, header names and parameter names to redact. */
  redact?: RedactorOptions;
  /** A pino logger to derive the integration's logger from, or `false` for silence. */
  logger?: Logger | false;
  /** Registry for the Prometheus metrics, or `false` for none. @default prom-client's global registry */
  metricsRegistry?: Registry | false;
  /** Seed 001's `_prepare_request`: adjust each call's request before it enters the pipeline. */
  prepareRequest?: (
    request: PreparedRequest,
    // biome-ignore lint/suspicious/noConfusingVoidType: a hook that edits the request in place returns nothing
  ) => PreparedRequest | void | Promise<PreparedRequest | void>;
  /** Seed 001's `_handle_response`: adjust each successful response before it is returned. */
  handleResponse?: (
    response: ApiResponse<unknown>,
    request: PreparedRequest,
    // biome-ignore lint/suspicious/noConfusingVoidType: a hook that only inspects the response returns nothing
  ) => ApiResponse<unknown> | void | Promise<ApiResponse<unknown> | void>;
  /** Seed 001's `health_check`. Default: GET `healthCheckPath` answers 2xx. */
  healthCheck?: (client: Client) => Promise<boolean>;
  /** @default '/' */
  healthCheckPath?: string;
  /**
   * Refuse private, loopback and link-local destinations (checked on the resolved address) unless
   * allowed. Off for library use, where internal services are normal; the hub turns it on for
   * every URL that arrives through its API.
   * @default false
   */
  egress?: EgressOptions | false;
  /** Share a connection pool between clients; it is then not closed by `close()`. */
  dispatcher?: Dispatcher;
  /** For tests: a fake clock. */
  clock?: Clock;
}

export interface ResolvedClientOptions {
  timeout: number;
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  totalTimeout: number;
  maxConnections: number;
  keepAliveTimeout: number;
  maxResponseBytes: number;
  maxRedirects: number;
  logRequests: boolean;
  logResponses: boolean;
  logResponseBody: boolean;
  idempotencyHeader: string | false;
  healthCheckPath: string;
}

/** Applies defaults and checks every number, naming the option that is wrong. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options.name !== 'string' || !/^[a-z0-9][a-z0-9_.-]*$/i.test(options.name)) {
    throw new TypeError(
      `name must be a non-empty identifier (letters, digits, _ . -), got ${JSON.stringify(options.name)}`,
    );
  }
  const timeout = positive('timeout', options.timeout ?? 30_000);
  return {
    timeout,
    connectTimeout: positive('connectTimeout', options.connectTimeout ?? 10_000),
    headersTimeout: positive('headersTimeout', options.headersTimeout ?? timeout),
    bodyTimeout: positive('bodyTimeout', options.bodyTimeout ?? timeout),
    totalTimeout: positive('totalTimeout', options.totalTimeout ?? 120_000),
    maxConnections: positiveInteger('maxConnections', options.maxConnections ?? 100),
    keepAliveTimeout: positive('keepAliveTimeout', options.keepAliveTimeout ?? 4_000),
    maxResponseBytes: positiveInteger('maxResponseBytes', options.maxResponseBytes ?? 10 * 1024 * 1024),
    maxRedirects: nonNegativeInteger('maxRedirects', options.maxRedirects ?? 5),
    logRequests: options.logRequests ?? true,
    logResponses: options.logResponses ?? true,
    logResponseBody: options.logResponseBody ?? false,
    idempotencyHeader:
      options.idempotencyHeader === false
        ? false
        : (options.idempotencyHeader ?? 'Idempotency-Key').toLowerCase(),
    healthCheckPath: options.healthCheckPath ?? '/',
  };
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || value > 2_147_483_647) {
    throw new TypeError(`${name} must be a number > 0 and at most 2147483647 (ms), got ${value}`);
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new TypeError(`${name} must be an integer > 0, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`${name} must be an integer >= 0, got ${value}`);
  return value;
}
