import { buildTokenManager, type OAuth2CommonOptions, requireValue } from './oauth2-options.js';
import { type OAuth2Strategy, oauth2Strategy } from './oauth2-strategy.js';
import { fingerprint } from './token-record.js';

export interface ClientCredentialsOptions extends OAuth2CommonOptions {
  clientSecret: string;
  /** Sent as `audience` (Auth0, Okta and others want it). */
  audience?: string;
}

/**
 * OAuth2 client credentials grant (RFC 6749 §4.4): a service's own token, obtained with its
 * client id and secret, cached until shortly before expiry and refreshed once for every caller.
 * @example
 * const auth = oauth2ClientCredentials({
 *   tokenUrl: 'https://transactions.example.com/api/v1/oauth/token',
 *   clientId: cfg.clientId,
 *   clientSecret: cfg.clientSecret,
 *   scopes: ['transactions:read'],
 *   store: redisStore, // several processes, one refresh
 * });
 */
export function oauth2ClientCredentials(options: ClientCredentialsOptions): OAuth2Strategy {
  requireValue(options.clientSecret, 'OAuth2 client secret');
  const { manager, secrets, useDispatcher } = buildTokenManager(options, {
    grantType: 'client_credentials',
    clientSecret: options.clientSecret,
    credential: fingerprint('client', options.clientId, options.clientSecret),
    initialRefreshToken: undefined,
    params: options.audience === undefined ? {} : { audience: options.audience },
  });
  return oauth2Strategy('oauth2_client_credentials', manager, secrets, useDispatcher);
}
