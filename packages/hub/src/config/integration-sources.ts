import type { ConfigSources, IntegrationDefinition, IntegrationPolicies } from '@patchbay/core';
import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import type { HubConfig } from './load-hub-config.js';

export type FieldOrigin = 'stored' | 'env' | 'file';

/** What `resolveIntegrationConfig` takes, plus the client policies the hub settings imply. */
export interface IntegrationSources extends ConfigSources {
  /** Every field that has a value, stored > env > file, already merged. */
  values: Record<string, unknown>;
  /** Empty on purpose: `values` already holds the env layer, and `enabled` the feature flag. */
  env: Record<string, string | undefined>;
  enabled: boolean;
  /** The definition's policies, with the hub-wide defaults where it declares none. */
  policies: IntegrationPolicies;
  /** Where each field of `values` came from (for the status page; never the value). */
  origins: Record<string, FieldOrigin>;
}

/**
 * The config sources of one integration: fields from what was stored through the API, then its
 * env variables (`definition.env`, e.g. `GITHUB_TOKEN`), then the config file.
 * @param name the name the integration is registered under (usually `definition.name`)
 * @example
 * const sources = integrationSources('github', github, hubConfig);
 * const resolution = resolveIntegrationConfig(github, sources);
 * const client = createClient({ ...github.policies, ...sources.policies, ... });
 */
export function integrationSources<Schema extends z.ZodObject>(
  name: string,
  definition: IntegrationDefinition<Schema>,
  hubConfig: HubConfig,
): IntegrationSources {
  const layers = hubConfig.integrations[name];
  const values: Record<string, unknown> = {};
  const origins: Record<string, FieldOrigin> = {};
  const set = (field: string, value: unknown, origin: FieldOrigin) => {
    if (value === undefined || value === null || value === '') return;
    values[field] = value;
    origins[field] = origin;
  };
  for (const [field, value] of Object.entries(layers?.file ?? {})) set(field, value, 'file');
  for (const [field, variable] of Object.entries(definition.env ?? {})) {
    if (typeof variable === 'string') set(field, hubConfig.env[variable], 'env');
  }
  for (const [field, value] of Object.entries(layers?.stored ?? {})) set(field, value, 'stored');
  return {
    values,
    env: {},
    enabled: hubConfig.features[name] ?? true,
    policies: hubPolicies(definition.policies, hubConfig),
    origins,
  };
}

/**
 * Seed 002's `INTEGRATION_TIMEOUT` (seconds), `MAX_RETRY_ATTEMPTS` and `RATE_LIMIT_PER_MINUTE` as
 * client policies. They are defaults: what an integration declares for itself (GitHub's 5000 an
 * hour) knows better, so it wins; `false` (no retry, no limit) stays off.
 */
export function hubPolicies(
  declared: IntegrationPolicies | undefined,
  hubConfig: Pick<HubConfig, 'integrationTimeout' | 'maxRetryAttempts' | 'rateLimitPerMinute'>,
): IntegrationPolicies {
  const policies: IntegrationPolicies = { ...declared };
  if (policies.timeout === undefined && hubConfig.integrationTimeout !== undefined) {
    policies.timeout = Math.round(hubConfig.integrationTimeout * 1000);
  }
  if (
    policies.retry !== false &&
    policies.retry?.maxRetries === undefined &&
    hubConfig.maxRetryAttempts !== undefined
  ) {
    policies.retry = { ...policies.retry, maxRetries: hubConfig.maxRetryAttempts };
  }
  if (policies.rateLimit === undefined && hubConfig.rateLimitPerMinute !== undefined) {
    policies.rateLimit = { maxRequests: hubConfig.rateLimitPerMinute, windowSeconds: 60 };
  }
  return policies;
}

/**
 * Problems `loadHubConfig` cannot see without the integrations: a file or stored entry for an
 * integration that does not exist, or a field its config does not have (a typo would otherwise
 * be dropped in silence). Feed them to `new ConfigError(...)` at start.
 */
export function integrationConfigIssues(
  hubConfig: HubConfig,
  definitions: readonly Pick<IntegrationDefinition, 'name' | 'config'>[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const known = [...byName.keys()].sort().join(', ') || 'none';
  for (const [name, layers] of Object.entries(hubConfig.integrations)) {
    const definition = byName.get(name);
    const where = (source: 'file' | 'stored') =>
      source === 'file' ? ` in ${hubConfig.configFile?.split(/[\\/]/).pop() ?? 'config file'}` : ' (stored)';
    for (const source of ['file', 'stored'] as const) {
      const fields = Object.keys(layers[source]);
      if (fields.length === 0) continue;
      if (!definition) {
        issues.push({
          name: `integrations.${name}${where(source)}`,
          message: `no such integration (known: ${known})`,
        });
        continue;
      }
      const shape = Object.keys(definition.config.shape);
      for (const field of fields) {
        if (!shape.includes(field)) {
          issues.push({
            name: `integrations.${name}.${field}${where(source)}`,
            message: `${name} has no such field (fields: ${shape.join(', ')})`,
          });
        }
      }
    }
  }
  return issues;
}
