import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FakeResponse, RecordedRequest } from '../../types.js';

export interface IssuedToken {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface OAuthIssuerOptions {
  clientId: string;
  clientSecret: string;
  /** Every scope the client may ask for; a token without `scope` gets them all. */
  scopes: readonly string[];
  tokenTtlSeconds: number;
  now: () => number;
}

/**
 * The OAuth2 client-credentials token endpoint (RFC 6749 §4.4): form body, client
 * authentication by HTTP Basic (id and secret form-encoded, §2.3.1) or `client_id` and
 * `client_secret` in the body, bearer tokens that expire.
 */
export class OAuthIssuer {
  readonly issued: IssuedToken[] = [];
  readonly #options: OAuthIssuerOptions;

  constructor(options: OAuthIssuerOptions) {
    this.#options = options;
  }

  /** Answers one token request. */
  token(req: RecordedRequest): FakeResponse {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(req.text);
    const basic = parseBasic(req.headers.authorization);
    const bodyId = form.get('client_id');
    if (basic && bodyId !== null)
      return oauthError(400, 'invalid_request', 'use one client authentication method');
    const clientId = basic?.id ?? bodyId;
    const secret = basic?.secret ?? form.get('client_secret');
    if (
      clientId !== this.#options.clientId ||
      secret === null ||
      !sameText(secret, this.#options.clientSecret)
    ) {
      const challenge = basic ? { 'www-authenticate': 'Basic realm="payments"' } : undefined;
      return oauthError(401, 'invalid_client', 'client authentication failed', challenge);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    }
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (asked.some((s) => !this.#options.scopes.includes(s))) {
      return oauthError(400, 'invalid_scope', 'a requested scope is not granted to this client');
    }
    const scopes = asked.length > 0 ? asked : [...this.#options.scopes];
    const ttl = this.#options.tokenTtlSeconds;
    const token = `tx_at_${randomBytes(18).toString('base64url')}`;
    this.issued.push({ token, clientId, scopes, expiresAt: this.#options.now() + ttl * 1000 });
    return {
      status: 200,
      headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
      json: { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') },
    };
  }

  /** The live token a request's `Authorization: Bearer` carries, if any. */
  holder(authorization: string | string[] | undefined): IssuedToken | undefined {
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined;
    const presented = authorization.slice('Bearer '.length);
    const found = this.issued.find((t) => t.token === presented);
    return found && found.expiresAt > this.#options.now() ? found : undefined;
  }

  /** Every token issued so far stops working now. */
  expireAll(): void {
    const now = this.#options.now();
    for (const token of this.issued) token.expiresAt = Math.min(token.expiresAt, now);
  }
}

function oauthError(
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): FakeResponse {
  return { status, json: { error, error_description: description }, ...(headers ? { headers } : {}) };
}

function parseBasic(header: string | string[] | undefined): { id: string; secret: string } | undefined {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const decode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
  try {
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
