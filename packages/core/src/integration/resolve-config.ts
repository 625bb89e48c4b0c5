import type { z } from 'zod';
import type { FieldIssue } from '../errors/integration-error.js';
import type { IntegrationDefinition } from './define.js';
import { fieldIssues } from './field-issues.js';

export type ConfigResolution<Config> =
  | { enabled: false }
  | { enabled: true; ok: true; config: Config }
  | { enabled: true; ok: false; issues: FieldIssue[] };

export interface ConfigSources {
  /** Values set in code or through the hub's API: they win over env. */
  values?: Record<string, unknown>;
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** Overrides `FEATURES__<NAME>_ENABLED`. */
  enabled?: boolean;
}

/**
 * Seed 000/003 semantics: an integration is enabled unless `FEATURES__<NAME>_ENABLED` (or
 * `enabled`) says false; enabled and valid config is usable; enabled and incomplete config is
 * "not configured", with the fields named and their values never quoted.
 */
export function resolveIntegrationConfig<Schema extends z.ZodObject>(
  definition: IntegrationDefinition<Schema>,
  sources: ConfigSources = {},
): ConfigResolution<z.output<Schema>> {
  const env = sources.env ?? process.env;
  const flag = env[`FEATURES__${definition.name.toUpperCase()}_ENABLED`];
  const enabled = sources.enabled ?? (flag === undefined ? true : !/^(false|0|no|off)$/i.test(flag.trim()));
  if (!enabled) return { enabled: false };
  const raw: Record<string, unknown> = {};
  for (const [field, variable] of Object.entries(definition.env ?? {})) {
    const value = variable === undefined ? undefined : env[variable as string];
    if (value !== undefined && value !== '') raw[field] = value;
  }
  for (const [field, value] of Object.entries(sources.values ?? {})) {
    if (value !== undefined) raw[field] = value;
  }
  const parsed = definition.config.safeParse(raw);
  if (!parsed.success) return { enabled: true, ok: false, issues: fieldIssues(parsed.error, 'config') };
  return { enabled: true, ok: true, config: parsed.data };
}
