import { ConfigError, type ConfigIssue } from '../../config/config-error.js';
import { interpolate } from '../../config/interpolate.js';
import { type WebhooksSection, WebhooksSectionSchema } from './webhook-settings.js';

export interface LoadWebhooksConfigOptions {
  /** Resolves `${NAME}` and `${NAME:-fallback}` in every string. @default process.env */
  env?: Record<string, string | undefined>;
  /** How errors name the file. @example 'patchbay.config.yaml' */
  label?: string;
}

/**
 * Validates the config file's `webhooks:` section (`{ sources: {...}, subscribers: [...] }`),
 * resolving `${ENV}` in its strings first, so secrets can stay in the environment:
 * ```yaml
 * webhooks:
 *   sources:
 *     github: { verify: github, secrets: ['${GITHUB_WEBHOOK_SECRET}'] }
 *   subscribers:
 *     - { name: crm, url: https://crm.example.com/hooks, eventTypes: ['github.*'], secrets: ['${CRM_WHSEC}'] }
 * ```
 * An absent section is an empty one.
 * @throws ConfigError naming every bad path; values are never quoted (they may be secrets).
 */
export function loadWebhooksConfig(
  section: unknown,
  options: LoadWebhooksConfigOptions = {},
): WebhooksSection {
  const env = options.env ?? process.env;
  const where = options.label ? ` in ${options.label}` : '';
  const issues: ConfigIssue[] = [];
  const resolved = resolveStrings(section ?? {}, env, 'webhooks', (path, variable) =>
    issues.push({ name: `${path}${where}`, message: `\${${variable}} is not set` }),
  );
  const parsed = WebhooksSectionSchema.safeParse(resolved);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = ['webhooks', ...issue.path.map(String)].join('.');
      issues.push({ name: `${path}${where}`, message: issue.message });
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  const names = new Set<string>();
  for (const subscriber of parsed.data.subscribers) {
    if (names.has(subscriber.name)) {
      issues.push({
        name: `webhooks.subscribers${where}`,
        message: `two subscribers are named ${subscriber.name}`,
      });
    }
    names.add(subscriber.name);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return parsed.data;
}

function resolveStrings(
  value: unknown,
  env: Record<string, string | undefined>,
  path: string,
  missing: (path: string, variable: string) => void,
): unknown {
  if (typeof value === 'string') {
    const result = interpolate(value, env);
    for (const variable of result.missing) missing(path, variable);
    return result.value;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveStrings(item, env, `${path}.${i}`, missing));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        resolveStrings(inner, env, `${path}.${key}`, missing),
      ]),
    );
  }
  return value;
}
