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
  /** How long a looked-up token is trusted before it is read again (revocation delay). @default 5000 */
  cacheMs?: number;
  /** How often `last_used_at` is written per token. @default 60000 */
  touchEveryMs?: number;
  now?: () => number;
}

/**
 * Checks `Authorization: Bearer <token>` against the token table, by hash. Found tokens are
 * cached for `cacheMs` (5 s) so the hot path does not hit the database on every call: a revoked
 * token keeps working for at most that long on a hub that had just seen it.
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();
  private readonly touched = new Map<string, number>();
  private readonly cacheMs: number;
  private readonly touchEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly tokens: TokenRepository,
    options: TokenAuthOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5000;
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The principal behind an `Authorization` header; throws a 401 HubAuthError otherwise. */
  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header === '') throw unauthenticated('Missing Authorization: Bearer <token>');
    const match = /^Bearer[ \t]+([^\s]{1,512})[ \t]*$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('Authorization must be "Bearer <token>"');
    const hash = hashToken(match[1]);
    const now = this.now();
    let cached = this.cache.get(hash);
    if (!cached || cached.until <= now) {
      const record = await this.tokens.findByHash(hash);
      const principal =
        record && record.revokedAt === null
          ? {
              id: record.id,
              name: record.name,
              scopes: record.scopes,
              integrations: record.integrations,
              readOnly: record.readOnly,
            }
          : undefined;
      cached = { principal, until: now + this.cacheMs };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, cached);
    }
    if (!cached.principal) throw unauthenticated('Unknown or revoked token');
    const last = this.touched.get(cached.principal.id) ?? 0;
    if (now - last >= this.touchEveryMs) {
      this.touched.set(cached.principal.id, now);
      this.tokens.touch(cached.principal.id, now).catch(() => undefined);
    }
    return cached.principal;
  }

  /** Forgets cached lookups (after a revoke through this hub). */
  clear(): void {
    this.cache.clear();
  }
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
