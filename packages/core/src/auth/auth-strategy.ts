import type { Dispatcher } from 'undici';
import type { PreparedRequest } from '../http/types.js';

/**
 * How a client proves who it is. `apply` runs once per attempt, just before the request is
 * sent, so a strategy whose credential changes (OAuth2) signs each retry afresh.
 */
export interface AuthStrategy {
  /** A short name for logs and status: `none`, `api_key`, `bearer`, `basic`, `custom`, … */
  readonly kind: string;
  apply(req: PreparedRequest): void | Promise<void>;
  /** Every credential value this strategy may send, so the redactor can hide it anywhere. */
  secrets(): readonly string[];
  /** Header names carrying credentials: redacted in logs, dropped on a cross-origin redirect. */
  readonly credentialHeaders: readonly string[];
  /** Query/body parameter names carrying credentials. */
  readonly credentialParams: readonly string[];
  /**
   * The upstream answered 401 to `req` as `apply` signed it. Resolve true when a different
   * credential is ready (the attempt is sent once more), false when there is nothing new;
   * reject with the re-auth error (e.g. `invalid_grant`). Static credentials leave it out.
   */
  onUnauthorized?(req: PreparedRequest): Promise<boolean>;
  /**
   * Hears every secret obtained later (access tokens, rotated refresh tokens) before it is
   * sent, so the redactor hides it too. Returns an unsubscribe function.
   */
  onSecret?(listener: (secret: string) => void): () => void;
  /**
   * Receives the client's connection pool, for requests the strategy makes itself (an OAuth
   * token endpoint), so they obey the same egress policy and timeouts as the client's own.
   */
  useDispatcher?(dispatcher: Dispatcher): void;
}
