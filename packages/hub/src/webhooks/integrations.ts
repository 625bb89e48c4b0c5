import type { IntegrationHost } from '../server/integration-host.js';
import type { CacheInvalidator } from './types.js';

/**
 * The hub's integrations as a {@link CacheInvalidator}: `invalidate('transactions',
 * 'get_transaction_status', { transactionId })` drops that cached read. An integration that is not
 * served or not configured has nothing cached: 0.
 */
export function integrationHostInvalidator(host: IntegrationHost): CacheInvalidator {
  return {
    async invalidate(integration, operation, input) {
      const entry = host.get(integration);
      if (!entry?.configured) return 0;
      return entry.integration.invalidate(operation as never, input);
    },
  };
}

/**
 * The Slack integration's signing secret (`SLACK_SIGNING_SECRET` or stored), read on each registry
 * refresh so a secret configured through the API is picked up.
 */
export function slackSigningSecretFrom(host: IntegrationHost): () => string | undefined {
  return () => {
    const entry = host.get('slack');
    if (!entry?.configured) return undefined;
    try {
      const secret = (entry.integration.requireConfig() as { signingSecret?: unknown }).signingSecret;
      return typeof secret === 'string' && secret !== '' ? secret : undefined;
    } catch {
      return undefined;
    }
  };
}
