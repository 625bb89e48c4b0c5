import { type Dispatcher, request } from 'undici';
import { errorFromThrown } from '../../errors/classify.js';
import {
  type IntegrationError,
  type IntegrationErrorDetails,
  IntegrationTemporaryError,
  IntegrationTimeoutError,
} from '../../errors/integration-error.js';
import { readBodyCapped, readBodyPrefix } from '../../http/read-body.js';
import type { Redactor } from '../../redact/redactor.js';
import { type TokenFailure, tokenFailureFromResponse } from './token-errors.js';

/** A token endpoint answer is small; anything bigger is not one. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** How the client authenticates to the token endpoint (RFC 6749 §2.3.1). */
export type ClientAuthMethod = 'basic' | 'body';

export interface TokenEndpoint {
  url: string;
  clientId: string;
  clientSecret: string | undefined;
  clientAuth: ClientAuthMethod;
  dispatcher: Dispatcher | undefined;
  timeoutMs: number;
  /** Knows every secret of the strategy; error text passes through it. */
  redactor: Redactor;
}

/** A successful token response, normalised. */
export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Lifetime from `expires_in`, in ms; absent when the server did not say. */
  expiresInMs: number | undefined;
  refreshToken: string | undefined;
  scope: string | undefined;
}

export type TokenResult = { ok: true; token: TokenResponse } | { ok: false; failure: TokenFailure };

/**
 * Asks the token endpoint for a token: one form-encoded POST, `Accept: application/json`, a
 * hard timeout. Never throws: every failure comes back classified, so the caller can decide
 * what it means for the credential's health.
 */
export async function requestToken(endpoint: TokenEndpoint, params: URLSearchParams): Promise<TokenResult> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (endpoint.clientSecret !== undefined && endpoint.clientAuth === 'basic') {
    headers.authorization = `Basic ${basicCredentials(endpoint.clientId, endpoint.clientSecret)}`;
  } else {
    body.set('client_id', endpoint.clientId);
    if (endpoint.clientSecret !== undefined) body.set('client_secret', endpoint.clientSecret);
  }
  const where = `POST ${endpoint.redactor.url(endpoint.url)}`;
  const grant = params.get('grant_type') ?? 'unknown';
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  let status: number;
  let raw: Buffer;
  let retryAfter: string | string[] | undefined;
  try {
    const res = await request(endpoint.url, {
      method: 'POST',
      headers,
      body: body.toString(),
      signal,
      headersTimeout: endpoint.timeoutMs,
      bodyTimeout: endpoint.timeoutMs,
      ...(endpoint.dispatcher === undefined ? {} : { dispatcher: endpoint.dispatcher }),
    });
    status = res.statusCode;
    retryAfter = res.headers['retry-after'];
    raw =
      status >= 200 && status < 300
        ? await readBodyCapped(res.body, res.headers['content-length'], MAX_TOKEN_RESPONSE_BYTES, status)
        : await readBodyPrefix(res.body, MAX_TOKEN_RESPONSE_BYTES);
  } catch (thrown) {
    return { ok: false, failure: networkFailure(thrown, signal, endpoint, where) };
  }
  if (status >= 200 && status < 300) {
    const token = parseTokenResponse(raw);
    if (token) return { ok: true, token };
  }
  return {
    ok: false,
    failure: tokenFailureFromResponse({
      status,
      body: raw,
      retryAfter,
      grant,
      where,
      redactor: endpoint.redactor,
    }),
  };
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function parseTokenResponse(raw: Buffer): TokenResponse | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) return undefined;
  // Some providers send expires_in as a string; RFC 6749 says a number.
  const expiresIn = Number(json.expires_in);
  return {
    accessToken,
    tokenType: typeof json.token_type === 'string' ? json.token_type : 'Bearer',
    expiresInMs: json.expires_in !== undefined && Number.isFinite(expiresIn) ? expiresIn * 1000 : undefined,
    refreshToken:
      typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : undefined,
    scope: typeof json.scope === 'string' ? json.scope : undefined,
  };
}

/**
 * A token request that did not get an answer. The upstream request it was for never left, so
 * the error says `requestSent: false`: the retry policy may retry even a POST.
 */
function networkFailure(
  thrown: unknown,
  signal: AbortSignal,
  endpoint: TokenEndpoint,
  where: string,
): TokenFailure {
  const details: IntegrationErrorDetails = { operation: 'oauth2_token', requestSent: false };
  if (signal.aborted) {
    const error = new IntegrationTimeoutError(
      `OAuth2 token endpoint did not answer within ${endpoint.timeoutMs} ms (${where})`,
      { ...details, code: 'ATTEMPT_TIMEOUT' },
    );
    return { error, code: 'timeout' };
  }
  const classified = errorFromThrown(
    thrown,
    {
      integration: '',
      operation: 'oauth2_token',
      method: 'POST',
      url: endpoint.url,
      redactor: endpoint.redactor,
    },
    { connect: endpoint.timeoutMs, headers: endpoint.timeoutMs, body: endpoint.timeoutMs },
  );
  const Type =
    classified instanceof IntegrationTimeoutError ? IntegrationTimeoutError : IntegrationTemporaryError;
  const error: IntegrationError = new Type(`OAuth2 token request failed: ${classified.message}`, {
    ...details,
    ...(classified.code === undefined ? {} : { code: classified.code }),
  });
  return { error, code: 'network' };
}
