import type { Dispatcher } from 'undici';
import type { PreparedRequest } from '../../http/types.js';
import type { AuthStrategy } from '../auth-strategy.js';
import type { SecretSet } from './secret-set.js';
import type { TokenManager } from './token-manager.js';
import type { CredentialHealth, TokenRecord } from './token-record.js';

/** What a status page shows about an OAuth2 credential. */
export interface OAuth2Status {
  health: CredentialHealth;
  /** Epoch ms the current access token expires, when known. */
  expiresAt?: number;
  /** The last token endpoint failure: OAuth error code (`invalid_grant`) or `http_503`, `network`, `timeout`. */
  error?: { code: string; at: number };
}

/**
 * An {@link AuthStrategy} whose credential is obtained and refreshed from an OAuth2 token
 * endpoint. Beyond `apply`, it can re-authenticate after a 401 and report its health.
 */
export interface OAuth2Strategy extends AuthStrategy {
  readonly kind: 'oauth2_client_credentials' | 'oauth2_refresh_token';
  /**
   * The upstream answered 401 to `req` (as `apply` signed it). Resolves `true` when a different
   * token is now available, so the request should be re-applied and sent once more; `false`
   * when there is nothing new to try. Rejects with the token endpoint's IntegrationError when
   * re-authenticating failed (more telling than the 401). A 401 for a token already replaced
   * resolves `true` without calling the token endpoint; concurrent 401s share one refresh.
   */
  onUnauthorized(req: PreparedRequest): Promise<boolean>;
  /** The credential's health: `expired` and `revoked` stay until the strategy is rebuilt with a new credential. */
  health(): CredentialHealth;
  status(): OAuth2Status;
  /**
   * Tells `listener` every secret obtained from now on (access tokens, rotated refresh tokens),
   * before it is first sent. Returns the function that stops it.
   * @example auth.onSecret((s) => redactor.addSecret(s))
   */
  onSecret(listener: (secret: string) => void): () => void;
  /** A valid access token, for callers that need one outside a request (a WebSocket, an SDK). */
  accessToken(): Promise<string>;
}

/** Builds the strategy shared by every grant type over its {@link TokenManager}. */
export function oauth2Strategy(
  kind: OAuth2Strategy['kind'],
  manager: TokenManager,
  secrets: SecretSet,
  useDispatcher: (dispatcher: Dispatcher) => void,
): OAuth2Strategy {
  return {
    kind,
    useDispatcher,
    apply(req) {
      // The hot path: a fresh token in memory is applied synchronously, no promise, no store.
      const cached = manager.cached();
      if (cached) {
        req.headers.authorization = authorizationOf(cached);
        return;
      }
      return manager.obtain().then((record) => {
        req.headers.authorization = authorizationOf(record);
      });
    },
    async onUnauthorized(req) {
      const used = tokenOf(req.headers.authorization);
      if (used === undefined) return false;
      const cached = manager.cached();
      if (cached && cached.accessToken !== used) return true;
      const record = await manager.obtain(used);
      return record.accessToken !== used;
    },
    health: () => manager.health(),
    status: () => manager.status(),
    onSecret: (listener) => secrets.listen(listener),
    async accessToken() {
      return (manager.cached() ?? (await manager.obtain())).accessToken as string;
    },
    secrets: () => secrets.values(),
    credentialHeaders: ['authorization'],
    credentialParams: [],
  };
}

/** `Bearer <token>`; the server's `token_type` is kept when it names another scheme. */
function authorizationOf(record: TokenRecord): string {
  const type = !record.tokenType || record.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : record.tokenType;
  return `${type} ${record.accessToken}`;
}

function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  return space < 0 ? undefined : header.slice(space + 1);
}
