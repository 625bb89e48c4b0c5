import { appendParams } from '../http/url.js';
import type { AuthStrategy } from './auth-strategy.js';

/** Where an API key goes. */
export type KeyLocation = 'header' | 'query' | 'body';

export interface ApiKeyOptions {
  /**
   * Where to send the key.
   * @default 'header'
   */
  in?: KeyLocation;
  /**
   * Header, query parameter or body field name.
   * @default 'X-API-Key' for a header, 'api_key' otherwise
   * @example 'Authorization'
   */
  name?: string;
  /**
   * Written before the key, separated by a space (`ApiKey abc`).
   * @example 'Bearer'
   */
  prefix?: string;
}

/** No credentials. */
export function noAuth(): AuthStrategy {
  return { kind: 'none', apply() {}, secrets: () => [], credentialHeaders: [], credentialParams: [] };
}

/** `Authorization: Bearer <token>`. */
export function bearer(token: string): AuthStrategy {
  requireCredential(token, 'bearer token');
  const value = `Bearer ${token}`;
  return {
    kind: 'bearer',
    apply(req) {
      req.headers.authorization = value;
    },
    secrets: () => [token],
    credentialHeaders: ['authorization'],
    credentialParams: [],
  };
}

/** `Authorization: Basic base64(username:password)`. */
export function basic(username: string, password: string): AuthStrategy {
  requireCredential(password, 'basic auth password');
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  const value = `Basic ${encoded}`;
  return {
    kind: 'basic',
    apply(req) {
      req.headers.authorization = value;
    },
    secrets: () => [password, encoded],
    credentialHeaders: ['authorization'],
    credentialParams: [],
  };
}

/**
 * An API key in a header, the query string or the body (JSON object or form).
 * @example apiKey(key, { name: 'Authorization', prefix: 'ApiKey' })
 */
export function apiKey(key: string, options: ApiKeyOptions = {}): AuthStrategy {
  requireCredential(key, 'API key');
  const location = options.in ?? 'header';
  const name = options.name ?? (location === 'header' ? 'X-API-Key' : 'api_key');
  const value = options.prefix ? `${options.prefix} ${key}` : key;
  const headerName = name.toLowerCase();
  return {
    kind: 'api_key',
    apply(req) {
      if (location === 'header') req.headers[headerName] = value;
      else if (location === 'query') req.path = appendParams(req.path, { [name]: value });
      else addToBody(req, name, value);
    },
    secrets: () => [key],
    credentialHeaders: location === 'header' ? [headerName] : [],
    credentialParams: location === 'header' ? [] : [name],
  };
}

export interface CustomAuthOptions {
  /** Headers sent on every request; their values are treated as secrets. */
  headers?: Record<string, string>;
  /** Query parameters sent on every request; their values are treated as secrets. */
  params?: Record<string, string>;
}

/** Arbitrary credential headers and query parameters (seed 001's CUSTOM auth). */
export function customAuth(options: CustomAuthOptions): AuthStrategy {
  const headers = Object.entries(options.headers ?? {}).map(([n, v]) => [n.toLowerCase(), v] as const);
  const params = options.params ?? {};
  return {
    kind: 'custom',
    apply(req) {
      for (const [name, value] of headers) req.headers[name] = value;
      req.path = appendParams(req.path, params);
    },
    secrets: () => [...headers.map(([, v]) => v), ...Object.values(params)],
    credentialHeaders: headers.map(([n]) => n),
    credentialParams: Object.keys(params),
  };
}

function addToBody(req: { json?: unknown; form?: URLSearchParams }, name: string, value: string): void {
  if (req.form !== undefined) {
    req.form = new URLSearchParams(req.form);
    req.form.set(name, value);
  } else if (
    req.json === undefined ||
    (typeof req.json === 'object' && req.json !== null && !Array.isArray(req.json))
  ) {
    req.json = { ...(req.json as Record<string, unknown> | undefined), [name]: value };
  } else {
    throw new TypeError('an API key in the body needs a JSON object or form body');
  }
}

function requireCredential(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${what} is empty: check the environment variable or secret that should hold it`);
  }
}
