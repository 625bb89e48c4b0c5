import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../../policies/clock.js';
import { Redactor } from '../../redact/redactor.js';
import { MemoryStore } from '../../state/memory-store.js';
import type { StateStore } from '../../state/state-store.js';
import { SecretSet } from './secret-set.js';
import {
  type ClientAuthMethod,
  requestToken,
  type TokenEndpoint,
  type TokenResult,
} from './token-endpoint.js';
import { type Grant, TokenManager } from './token-manager.js';
import { fingerprint } from './token-record.js';

/** Options every OAuth2 grant shares. */
export interface OAuth2CommonOptions {
  /** The token endpoint. @example 'https://auth.example.com/oauth/token' */
  tokenUrl: string;
  clientId: string;
  /** Sent space-separated as `scope`. */
  scopes?: readonly string[];
  /** More form parameters for the token request (`resource`, …). */
  params?: Record<string, string>;
  /**
   * How the client authenticates to the token endpoint: HTTP Basic (RFC 6749 §2.3.1 says
   * servers must support it) or `client_id`/`client_secret` in the form body.
   * @default 'basic'
   */
  clientAuth?: ClientAuthMethod;
  /**
   * Where the token record and the refresh lock live. Give several processes the same Redis
   * store (and key) and they refresh once between them.
   * @default a new in-memory store, private to this strategy
   */
  store?: StateStore;
  /**
   * The token record's key in the store (the lock is `${key}:lock`). Processes configured alike
   * derive the same default; pass one that names the account when a hub re-creates strategies
   * with rotated refresh tokens, so the record survives that.
   * @default 'patchbay:oauth2:' + a hash of the token URL, client id, grant, scopes and parameters
   * @example 'patchbay:salesforce:acme:oauth2'
   */
  key?: string;
  /**
   * Refresh this long before the token expires, so no request leaves with a token about to
   * expire in flight. Capped at half the token's lifetime.
   * @default 60_000
   */
  refreshSkewMs?: number;
  /** @default undici's global dispatcher */
  dispatcher?: Dispatcher;
  /**
   * Timeout of one token request, headers and body included.
   * @default 10_000
   */
  fetchTimeoutMs?: number;
  /**
   * How long a refresher holds the cross-process lock; after it, a waiting process may take
   * over (the holder died). Must exceed `fetchTimeoutMs`.
   * @default fetchTimeoutMs + 5_000
   */
  lockTtlMs?: number;
  /**
   * After a refresh failed in a way that may pass (5xx, network) while the old token still
   * works, keep using it this long before asking again.
   * @default 5_000
   */
  degradedRetryMs?: number;
  /** For tests: expiry uses `wallNow`, waiting uses `now` and `sleep`. @default systemClock */
  clock?: Clock;
}

export interface GrantSpec {
  grantType: 'client_credentials' | 'refresh_token';
  clientSecret: string | undefined;
  /** Fingerprint of the configured credential. */
  credential: string;
  initialRefreshToken: string | undefined;
  /** Grant-specific form parameters (audience, …). */
  params: Record<string, string>;
  onRotate?: ((refreshToken: string) => void | Promise<void>) | undefined;
}

/** Validates the common options and wires endpoint, store, lock and secrets into a TokenManager. */
export function buildTokenManager(options: OAuth2CommonOptions, spec: GrantSpec) {
  const url = requireUrl(options.tokenUrl);
  requireValue(options.clientId, 'OAuth2 client id');
  const fetchTimeoutMs = nonNegative(options.fetchTimeoutMs, 10_000, 'fetchTimeoutMs');
  const scope = options.scopes?.length ? options.scopes.join(' ') : undefined;
  const params: Record<string, string> = { ...options.params, ...spec.params };
  if (scope !== undefined) params.scope = scope;

  const secrets = new SecretSet([spec.clientSecret, spec.initialRefreshToken]);
  const redactor = new Redactor({ secrets: secrets.values() });
  secrets.listen((secret) => redactor.addSecret(secret));
  const endpoint: TokenEndpoint = {
    url,
    clientId: options.clientId,
    clientSecret: spec.clientSecret,
    clientAuth: options.clientAuth ?? 'basic',
    dispatcher: options.dispatcher,
    timeoutMs: fetchTimeoutMs,
    redactor,
  };
  const grant: Grant = {
    credential: spec.credential,
    initialRefreshToken: spec.initialRefreshToken,
    request(refreshToken): Promise<TokenResult> {
      const form = new URLSearchParams({ grant_type: spec.grantType, ...params });
      if (refreshToken !== undefined) form.set('refresh_token', refreshToken);
      return requestToken(endpoint, form);
    },
  };
  const lockTtlMs = nonNegative(options.lockTtlMs, fetchTimeoutMs + 5_000, 'lockTtlMs');
  const sorted = Object.entries(params).sort(([a], [b]) => a.localeCompare(b));
  const key =
    options.key ??
    `patchbay:oauth2:${fingerprint(spec.grantType, url, options.clientId, JSON.stringify(sorted), spec.grantType === 'refresh_token' ? spec.credential : '')}`;
  const manager = new TokenManager({
    grant,
    store: options.store ?? new MemoryStore(),
    key,
    clock: options.clock ?? systemClock,
    refreshSkewMs: nonNegative(options.refreshSkewMs, 60_000, 'refreshSkewMs'),
    lockTtlMs,
    // Long enough for a holder that died to lose its lock and a successor to finish.
    waitTimeoutMs: lockTtlMs + fetchTimeoutMs,
    degradedRetryMs: nonNegative(options.degradedRetryMs, 5_000, 'degradedRetryMs'),
    secrets,
    redactor,
    onRotate: spec.onRotate,
  });
  // The client hands over its own pool (and with it its egress policy) unless one was given here,
  // so a configurable token URL is no way around the SSRF guard.
  const useDispatcher = (dispatcher: Dispatcher): void => {
    if (options.dispatcher === undefined) endpoint.dispatcher = dispatcher;
  };
  return { manager, secrets, useDispatcher };
}

export function requireValue(value: string | undefined, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${what} is empty: check the environment variable or secret that should hold it`);
  }
}

function requireUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`OAuth2 tokenUrl is not a URL: ${JSON.stringify(String(value).slice(0, 100))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`OAuth2 tokenUrl must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password) throw new TypeError('OAuth2 tokenUrl must not carry credentials');
  return url.href;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number`);
  return value;
}
