import { buildTokenManager, type OAuth2CommonOptions, requireValue } from './oauth2-options.js';
import { type OAuth2Strategy, oauth2Strategy } from './oauth2-strategy.js';
import { fingerprint } from './token-record.js';

export interface RefreshTokenOptions extends OAuth2CommonOptions {
  /** Omit for a public client (the client id then goes in the body). */
  clientSecret?: string;
  /**
   * The refresh token to start from. Once the server rotates it, the newest one lives in the
   * store and is used instead; this one only seeds the chain.
   */
  refreshToken: string;
  /**
   * Called with each new refresh token after it is saved, so it can be persisted where the
   * configuration lives (the store may be memory). A failure shows in `status().error` as
   * `on_rotate_failed`; the call itself goes on.
   */
  onRotate?: (refreshToken: string) => void | Promise<void>;
}

/**
 * OAuth2 refresh token grant (RFC 6749 §6): access tokens for a user's account from a refresh
 * token obtained once (by the hub's connect flow). Rotation is followed: each new refresh token
 * is saved with compare-and-set and used next time, and `invalid_grant` retires the credential
 * (`health()` = `expired`) instead of retrying forever.
 * @example
 * const auth = oauth2RefreshToken({
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId, clientSecret, refreshToken: stored.refreshToken,
 *   key: `patchbay:crm:${accountId}:oauth2`,
 *   onRotate: (token) => secrets.save(`crm/${accountId}/refresh_token`, token),
 * });
 */
export function oauth2RefreshToken(options: RefreshTokenOptions): OAuth2Strategy {
  requireValue(options.refreshToken, 'OAuth2 refresh token');
  if (options.clientSecret !== undefined) requireValue(options.clientSecret, 'OAuth2 client secret');
  const { manager, secrets, useDispatcher } = buildTokenManager(options, {
    grantType: 'refresh_token',
    clientSecret: options.clientSecret,
    credential: fingerprint(options.refreshToken),
    initialRefreshToken: options.refreshToken,
    params: {},
    onRotate: options.onRotate,
  });
  return oauth2Strategy('oauth2_refresh_token', manager, secrets, useDispatcher);
}
