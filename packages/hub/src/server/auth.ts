import { createHash, randomBytes } from 'node:crypto';
import type { TokenRecord, TokenRepository } from '../storage/index.js';
import { forbidden, unauthenticated } from './hub-errors.js';

/** Hub token scopes; each includes the ones below it: admin ⊃ operator ⊃ viewer. */
export type HubScope = 'admin' | 'operator' | 'viewer';

export const HUB_SCOPES: readonly HubScope[] = ['viewer', 'operator', 'admin'];
const RANK: Record<HubScope, number> = { viewer: 1, operator: 2, admin: 3 };

/** The sha256 (hex) under which a token is stored: the token itself never is. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token: `pb_` and 43 base64url characters (256 bits). */
export function generateToken(): string {
  return `pb_${randomBytes(32).toString('base64url')}`;
}

/** True when the token's scopes reach `required` (an admin token may do what an operator may). */
export function hasScope(scopes: readonly string[], required: HubScope): boolean {
  return scopes.some((scope) => (RANK[scope as HubScope] ?? 0) >= RANK[required]);
}

/** Who made a request: the token record (never the token). */
export type Principal = Pick<TokenRecord, 'id' | 'name' | 'scopes' | 'integrations' | 'readOnly'>;

export interface TokenAuthOptions {
  /**
   * How long a looked-up token is trusted before it is read again: the longest a token revoked by
   * another process (the CLI, another hub) keeps working on a hub that had just seen it. A revoke
   * through this hub ({@link TokenAuthenticator.revoke}) takes effect at once. @default 5000
   */
  cacheMs?: number;
  /** Tokens (known or unknown) remembered at most; the oldest lookup is dropped first. @default 10000 */
  maxCached?: number;
  /** How often `last_used_at` is written per token. @default 60000 */
  touchEveryMs?: number;
  now?: () => number;
}

interface CachedLookup {
  /** `undefined`: no such token, or revoked. */
  principal: Principal | undefined;
  until: number;
}

const BEARER = /^Bearer[ \t]+([^\s]{1,512})[ \t]*$/i;

/**
 * Checks `Authorization: Bearer <token>` against the token table, by hash. Lookups are cached for
 * `cacheMs` (5 s) keyed by the token itself, so the hot path neither hits the database nor hashes
 * the token on every call. What that means for revocation:
 * - revoked through this hub ({@link revoke}, `Hub.revokeToken`): refused from the next request on;
 * - revoked by another process (the CLI's `token revoke`, another hub on the same database):
 *   refused within `cacheMs` (the cache entry expires and the token is read again).
 * Unknown tokens are cached as well (a client with a wrong token does not cost a query per
 * request); the cache holds `maxCached` lookups at most, dropping the oldest.
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, CachedLookup>();
  private readonly touched = new Map<string, number>();
  /** Bumped by every forget/clear: a lookup that started before one is not cached. */
  private generation = 0;
  private readonly cacheMs: number;
  private readonly maxCached: number;
  private readonly touchEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly tokens: TokenRepository,
    options: TokenAuthOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5000;
    this.maxCached = Math.max(1, options.maxCached ?? 10_000);
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The principal behind an `Authorization` header; throws a 401 HubAuthError otherwise. */
  async authenticate(header: string | undefined): Promise<Principal> {
    return this.cached(header) ?? this.lookUp(bearerToken(header));
  }

  /**
   * The principal behind an `Authorization` header when a fresh lookup of its token is cached,
   * without a promise (the request hook's fast path); `undefined` when the token must be read
   * from storage first. Throws a 401 HubAuthError for a malformed header or a token cached as
   * unknown or revoked.
   */
  cached(header: string | undefined): Principal | undefined {
    const token = bearerToken(header);
    const hit = this.cache.get(token);
    if (hit === undefined) return undefined;
    const now = this.now();
    if (hit.until <= now) return undefined;
    if (!hit.principal) throw unauthenticated('Unknown or revoked token');
    this.touch(hit.principal.id, now);
    return hit.principal;
  }

  /** Revokes a token in storage and forgets it here at once; `false` if it was unknown or revoked already. */
  async revoke(tokenId: string): Promise<boolean> {
    try {
      return await this.tokens.revoke(tokenId);
    } finally {
      this.forget(tokenId);
    }
  }

  /** Drops every cached lookup of the token with this id, so its next use reads storage. */
  forget(tokenId: string): void {
    this.generation++;
    for (const [token, hit] of this.cache) {
      if (hit.principal?.id === tokenId) this.cache.delete(token);
    }
  }

  /** Forgets every cached lookup. */
  clear(): void {
    this.generation++;
    this.cache.clear();
  }

  private async lookUp(token: string): Promise<Principal> {
    const now = this.now();
    const generation = this.generation;
    const record = await this.tokens.findByHash(hashToken(token));
    const principal: Principal | undefined =
      record && record.revokedAt === null
        ? {
            id: record.id,
            name: record.name,
            scopes: record.scopes,
            integrations: record.integrations,
            readOnly: record.readOnly,
          }
        : undefined;
    if (generation === this.generation) this.remember(token, { principal, until: now + this.cacheMs });
    if (!principal) throw unauthenticated('Unknown or revoked token');
    this.touch(principal.id, now);
    return principal;
  }

  private remember(token: string, lookup: CachedLookup): void {
    this.cache.delete(token); // re-inserted last: the Map's order is the order of lookups
    if (this.cache.size >= this.maxCached) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, lookup);
  }

  private touch(tokenId: string, now: number): void {
    const last = this.touched.get(tokenId) ?? 0;
    if (now - last < this.touchEveryMs) return;
    this.touched.set(tokenId, now);
    this.tokens.touch(tokenId, now).catch(() => undefined);
  }
}

/** The token of a `Bearer` header; throws a 401 HubAuthError when there is none. */
function bearerToken(header: string | undefined): string {
  if (header === undefined || header === '') throw unauthenticated('Missing Authorization: Bearer <token>');
  const token = BEARER.exec(header)?.[1];
  if (!token) throw unauthenticated('Authorization must be "Bearer <token>"');
  return token;
}

/** Throws a 403 HubAuthError unless the principal has `scope` (and may reach `integration`). */
export function authorize(principal: Principal, scope: HubScope, integration?: string): void {
  if (!hasScope(principal.scopes, scope)) {
    throw forbidden(`This route needs the ${scope} scope`, scope);
  }
  if (
    integration !== undefined &&
    principal.integrations !== null &&
    !principal.integrations.includes(integration)
  ) {
    throw forbidden(`This token may not reach integration ${integration}`);
  }
}

export interface AdminTokenSeed {
  /** The token, only when it was generated now (print it once). */
  generated?: string;
  tokenId: string;
}

/**
 * Makes sure an admin can get in: `PATCHBAY_ADMIN_TOKEN` is stored (hashed) if it is new;
 * without it, and with no active admin token yet, one is generated and returned once.
 */
export async function seedAdminToken(
  tokens: TokenRepository,
  adminToken: string | undefined,
): Promise<AdminTokenSeed | undefined> {
  if (adminToken !== undefined && adminToken !== '') {
    const hash = hashToken(adminToken);
    const existing = await tokens.findByHash(hash);
    if (existing) return { tokenId: existing.id };
    const created = await tokens.create({
      name: 'admin (PATCHBAY_ADMIN_TOKEN)',
      tokenHash: hash,
      scopes: ['admin'],
    });
    return { tokenId: created.id };
  }
  const active = await tokens.list({ activeOnly: true });
  if (active.some((token) => hasScope(token.scopes, 'admin'))) return undefined;
  const token = generateToken();
  const created = await tokens.create({
    name: 'admin (generated)',
    tokenHash: hashToken(token),
    scopes: ['admin'],
  });
  return { generated: token, tokenId: created.id };
}
