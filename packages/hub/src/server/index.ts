// The hub service: REST API, hub auth, integration hosting, audit and dead letters over HTTP.

export type { AdminTokenSeed, HubScope, Principal, TokenAuthOptions } from './auth.js';
export {
  authorize,
  generateToken,
  HUB_SCOPES,
  hashToken,
  hasScope,
  seedAdminToken,
  TokenAuthenticator,
} from './auth.js';
export type { CreateHubOptions, Hub } from './create-hub.js';
export { createHub } from './create-hub.js';
export type { HubErrorJson, HubErrorType } from './hub-errors.js';
export { HubError } from './hub-errors.js';
export type { ConfigureRequest, HostedIntegration, IntegrationHostOptions } from './integration-host.js';
export { IntegrationHost } from './integration-host.js';
export { redactInput } from './redact-input.js';
export type { RunHubOptions } from './run-hub.js';
export { runHub } from './run-hub.js';
