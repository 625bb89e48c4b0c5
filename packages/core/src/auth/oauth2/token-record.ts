import { createHash } from 'node:crypto';
import type { TokenResponse } from './token-endpoint.js';

/**
 * How usable a credential is, as users see it on a status page:
 * - `healthy`: the last token request succeeded;
 * - `degraded`: the last one failed in a way that may pass (5xx, network, timeout, an unknown
 *   4xx); the current token is still used while it lasts;
 * - `expired`: the token endpoint answered `invalid_grant` (refresh token expired or revoked);
 * - `revoked`: it answered `invalid_client`, `unauthorized_client`, `unsupported_grant_type`
 *   or `invalid_scope` (the client registration no longer accepts this credential).
 *
 * `expired` and `revoked` are terminal: the token endpoint is not called again for that
 * credential until it is reconfigured.
 */
export type CredentialHealth = 'healthy' | 'degraded' | 'expired' | 'revoked';

export type TerminalHealth = Extract<CredentialHealth, 'expired' | 'revoked'>;

/**
 * What the state store holds for one OAuth2 credential, as JSON. Written only with
 * `compareAndSet`, so a slow refresher can never overwrite a newer record.
 */
export interface TokenRecord {
  accessToken?: string;
  /** `Bearer` unless the server said otherwise. */
  tokenType?: string;
  /** Epoch ms; absent when the server gave no `expires_in` (then kept until a 401). */
  expiresAt?: number;
  /** Epoch ms the access token was obtained, to size the refresh margin for short-lived tokens. */
  obtainedAt?: number;
  /** Refresh-token grant only: the newest refresh token of the chain. */
  refreshToken?: string;
  scope?: string;
  health: CredentialHealth;
  /** The last token endpoint failure: an OAuth error code or `http_<status>`, `network`, … */
  error?: { code: string; at: number };
  /** After a failure that left a usable token: do not ask the token endpoint again before this (epoch ms). */
  retryAt?: number;
  /**
   * Hashes of the configured credentials this record descends from (the client secret; every
   * refresh token of the chain). An instance whose configured credential is among them treats
   * the record as its own, terminal marks included; any other instance was reconfigured and
   * starts afresh from its own credential.
   */
  known: string[];
}

/** How many refresh tokens of a rotating chain a record remembers. */
const KNOWN_LIMIT = 50;

export function isTerminal(health: CredentialHealth): health is TerminalHealth {
  return health === 'expired' || health === 'revoked';
}

/** A hash that names a credential (or a store key) without revealing it: records live in Redis. */
export function fingerprint(...parts: string[]): string {
  return createHash('sha256')
    .update(`patchbay.oauth2\0${parts.join('\0')}`)
    .digest('hex')
    .slice(0, 32);
}

export function isOwn(record: TokenRecord, credential: string): boolean {
  return record.known.includes(credential);
}

/** Appends hashes, newest last, keeping the first one (the configured credential) and the latest ones. */
export function withKnown(known: readonly string[], ...added: string[]): string[] {
  const all = [...known];
  for (const hash of added) if (!all.includes(hash)) all.push(hash);
  return all.length > KNOWN_LIMIT ? [all[0] as string, ...all.slice(all.length - KNOWN_LIMIT + 1)] : all;
}

/** The token still works at `now` (it may be inside the refresh margin). */
export function isUsable(record: TokenRecord | undefined, now: number, rejected?: string): boolean {
  return (
    record?.accessToken !== undefined &&
    record.accessToken !== rejected &&
    !isTerminal(record.health) &&
    (record.expiresAt === undefined || now < record.expiresAt)
  );
}

/**
 * The token is usable and not yet inside its refresh margin. The margin is at most half the
 * token's lifetime, so a 30-second token is not refreshed on every call under a 60 s margin.
 */
export function isFresh(record: TokenRecord | undefined, now: number, skewMs: number, rejected?: string) {
  if (!isUsable(record, now, rejected)) return false;
  const { expiresAt, obtainedAt } = record as TokenRecord;
  if (expiresAt === undefined) return true;
  const lifetime = obtainedAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - obtainedAt;
  return now < expiresAt - Math.min(skewMs, lifetime / 2);
}

/**
 * The record a successful token response becomes. A new refresh token (rotation) joins the
 * chain's `known` hashes; without one, the refresh token just used stays (RFC 6749 §6).
 */
export function recordFromToken(
  token: TokenResponse,
  from: { known: readonly string[]; refreshTokenUsed: string | undefined; at: number },
): { record: TokenRecord; rotated: boolean } {
  const rotated = token.refreshToken !== undefined && token.refreshToken !== from.refreshTokenUsed;
  const refreshToken = token.refreshToken ?? from.refreshTokenUsed;
  const record: TokenRecord = {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    obtainedAt: from.at,
    health: 'healthy',
    known: rotated ? withKnown(from.known, fingerprint(refreshToken as string)) : [...from.known],
  };
  if (token.expiresInMs !== undefined) record.expiresAt = from.at + token.expiresInMs;
  if (refreshToken !== undefined) record.refreshToken = refreshToken;
  if (token.scope !== undefined) record.scope = token.scope;
  return { record, rotated };
}

export function serializeRecord(record: TokenRecord): string {
  return JSON.stringify(record);
}

/** Parses a stored record; anything unreadable counts as absent (and is overwritten by CAS). */
export function parseRecord(value: string | undefined): TokenRecord | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<TokenRecord> | null;
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.known)) return undefined;
    if (typeof parsed.health !== 'string') return undefined;
    return parsed as TokenRecord;
  } catch {
    return undefined;
  }
}
