import type { AuthStrategy } from './auth-strategy.js';
import { apiKey, basic, bearer, customAuth, type KeyLocation, noAuth } from './static-auth.js';

/**
 * Seed 001's `AuthConfig` as data, for auth that comes from configuration rather than code.
 * OAuth2 arrives with its own strategy.
 */
export type AuthConfig =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'api_key';
      token: string;
      /** @default 'header' */
      tokenLocation?: KeyLocation;
      /** @default 'Authorization' */
      tokenKey?: string;
      tokenPrefix?: string;
    }
  | { type: 'custom'; customHeaders?: Record<string, string>; customParams?: Record<string, string> };

/** Builds the strategy an {@link AuthConfig} describes. */
export function authFromConfig(config: AuthConfig): AuthStrategy {
  switch (config.type) {
    case 'none':
      return noAuth();
    case 'bearer':
      return bearer(config.token);
    case 'basic':
      return basic(config.username, config.password);
    case 'api_key':
      return apiKey(config.token, {
        in: config.tokenLocation ?? 'header',
        name: config.tokenKey ?? 'Authorization',
        ...(config.tokenPrefix === undefined ? {} : { prefix: config.tokenPrefix }),
      });
    case 'custom':
      return customAuth({
        ...(config.customHeaders === undefined ? {} : { headers: config.customHeaders }),
        ...(config.customParams === undefined ? {} : { params: config.customParams }),
      });
  }
}
