import { basename, resolve } from 'node:path';
import type { SecretCipher } from '../secrets/cipher.js';
import { secretAad } from '../secrets/cipher.js';
import type { VaultReader } from '../secrets/vault/vault-reader.js';
import { loadWebhooksConfig } from '../webhooks/config/load-webhooks-config.js';
import type { WebhooksSection } from '../webhooks/config/webhook-settings.js';
import {
  ConfigError,
  type ConfigIssue,
  describeValue,
  isConfigError,
  isSensitiveName,
} from './config-error.js';
import { readConfigFile } from './config-file.js';
import { type Candidate, type ConfigOrigin, fileLayer, storedLayer } from './config-layers.js';
import { HUB_SETTING_KEYS, HUB_SETTINGS, type HubSettingKey, type HubSettings } from './hub-settings.js';
import { type Resolvable, resolveReferences } from './resolve-references.js';

/** What was set through the hub's API: the same shape as the config file. */
export interface StoredConfig {
  /** Hub settings by key (`port`) or env name (`PORT`). */
  hub?: Record<string, unknown>;
  /** Per integration: `enabled` and config fields; secret fields may be envelopes (see `cipher`). */
  integrations?: Record<string, Record<string, unknown>>;
  features?: Record<string, unknown>;
}

export interface LoadHubConfigOptions {
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** Where `patchbay.config.*` and relative paths are looked up. @default process.cwd() */
  cwd?: string;
  /** Values stored through the API; they win over everything. */
  stored?: StoredConfig;
  /** Decrypts stored values that are envelopes (sealed with AAD `<integration>/<field>`). */
  cipher?: SecretCipher;
  /** Resolves `vault:` references. @default a reader from VAULT_ADDR / VAULT_TOKEN, when set */
  vault?: VaultReader;
}

/** Per integration, what the file and the API say (`enabled` is in `features`). */
export interface IntegrationLayers {
  file: Readonly<Record<string, unknown>>;
  stored: Readonly<Record<string, unknown>>;
}

/** The hub's validated configuration. Holds secrets: log {@link describeHubConfig}, not this. */
export interface HubConfig extends HubSettings {
  /** Integration on/off by name (`storage_s3`), stored > `FEATURES__<NAME>_ENABLED` > file. */
  features: Readonly<Record<string, boolean>>;
  integrations: Readonly<Record<string, IntegrationLayers>>;
  /** The env the config was read from, `vault:` references resolved: integration env names read it. */
  env: Readonly<Record<string, string | undefined>>;
  /** The config file read, if any (absolute path). */
  configFile: string | undefined;
  /** Where each hub setting came from. */
  origins: Readonly<Record<HubSettingKey, ConfigOrigin>>;
  /** The config file's `webhooks` section: sources, subscribers, invalidation rules. */
  webhooks: WebhooksSection;
}

const FEATURE_VARIABLE = /^FEATURES__([A-Z0-9_]+)_ENABLED$/i;

/**
 * Reads the hub's configuration from, highest first: `stored`, env, the config file
 * (`PATCHBAY_CONFIG`, else `patchbay.config.yaml|yml|json` in `cwd`), defaults. Resolves
 * `${ENV}` in the file, `vault:<path>#<field>` anywhere, and stored envelopes.
 * @throws ConfigError naming every bad variable or path and what is wrong; secrets are never quoted.
 */
export async function loadHubConfig(options: LoadHubConfigOptions = {}): Promise<HubConfig> {
  const rawEnv = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const issues: ConfigIssue[] = [];

  const file = readConfigFile(rawEnv, cwd, issues);
  const fromFile = fileLayer(file, rawEnv, issues);
  const fromStored = storedLayer(options.stored, issues);

  const envCandidates = new Map<string, Candidate>();
  for (const [name, value] of Object.entries(rawEnv)) {
    if (value === undefined || value === '') continue;
    envCandidates.set(name, { value, written: value, name, origin: 'env', sensitive: isSensitiveName(name) });
  }

  // References are resolved before validation, so a resolved value is checked like any other.
  const resolvable: Resolvable[] = [
    ...[...envCandidates.values()].map((candidate) => ({ candidate })),
    ...[...fromFile.hub.values(), ...fromStored.hub.values()].map((candidate) => ({ candidate })),
    ...[...fromFile.integrations.values()].flatMap((fields) =>
      [...fields.values()].map((candidate) => ({ candidate })),
    ),
    ...[...fromStored.integrations].flatMap(([name, fields]) =>
      [...fields].map(([field, candidate]) => ({ candidate, aad: secretAad(name, field) })),
    ),
  ];
  const plain = (key: HubSettingKey): string | undefined => {
    const found = [fromStored.hub.get(key), envCandidates.get(HUB_SETTINGS[key].env), fromFile.hub.get(key)]
      .map((c) => c?.value)
      .find((v) => v !== undefined);
    return typeof found === 'string' && !found.startsWith('vault:') ? found.trim() : undefined;
  };
  await resolveReferences(
    resolvable,
    {
      vault: {
        addr: plain('vaultAddr'),
        token: plain('vaultToken'),
        namespace: plain('vaultNamespace'),
        mount: plain('vaultMount') ?? 'secret',
      },
      reader: options.vault,
      cipher: options.cipher,
    },
    issues,
  );

  const settings: Record<string, unknown> = {};
  const origins = {} as Record<HubSettingKey, ConfigOrigin>;
  for (const key of HUB_SETTING_KEYS) {
    const spec = HUB_SETTINGS[key];
    // Every source is checked, not only the winner: a typo in the file should not wait to bite.
    const layers = [fromStored.hub.get(key), envCandidates.get(spec.env), fromFile.hub.get(key)];
    let chosen: { value: unknown; origin: ConfigOrigin } | undefined;
    for (const candidate of layers) {
      if (!candidate) continue;
      const parsed = spec.schema.safeParse(candidate.value);
      if (!parsed.success) {
        const what = parsed.error.issues[0]?.message ?? 'is invalid';
        const got = candidate.sensitive ? '(value hidden)' : describeValue(candidate.name, candidate.written);
        issues.push({ name: candidate.name, message: `${what}, got ${got}` });
      } else {
        chosen ??= { value: parsed.data, origin: candidate.origin };
      }
    }
    settings[key] = chosen?.value ?? spec.default;
    origins[key] = chosen?.origin ?? 'default';
  }

  const features = readFeatures(envCandidates, fromFile.features, fromStored.features, issues);
  let webhooks: WebhooksSection | undefined;
  try {
    webhooks = loadWebhooksConfig((file?.content as { webhooks?: unknown } | undefined)?.webhooks, {
      env: rawEnv,
      ...(file ? { label: basename(file.path) } : {}),
    });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    issues.push(...error.issues);
  }

  if (issues.length > 0 || !webhooks) throw new ConfigError(issues);

  const env: Record<string, string | undefined> = { ...rawEnv };
  for (const [name, candidate] of envCandidates) env[name] = candidate.value as string;
  const integrations: Record<string, IntegrationLayers> = {};
  for (const name of new Set([...fromFile.integrations.keys(), ...fromStored.integrations.keys()])) {
    integrations[name] = {
      file: values(fromFile.integrations.get(name)),
      stored: values(fromStored.integrations.get(name)),
    };
  }
  return {
    ...(settings as unknown as HubSettings),
    dataDir: resolve(cwd, settings.dataDir as string),
    features,
    integrations,
    env,
    configFile: file?.path,
    origins,
    webhooks,
  };
}

function readFeatures(
  env: Map<string, Candidate>,
  file: Map<string, Candidate>,
  stored: Map<string, Candidate>,
  issues: ConfigIssue[],
): Record<string, boolean> {
  const fromEnv = new Map<string, Candidate>();
  for (const [variable, candidate] of env) {
    const match = FEATURE_VARIABLE.exec(variable);
    if (match?.[1]) fromEnv.set(match[1].toLowerCase(), candidate);
  }
  const features: Record<string, boolean> = {};
  // Lowest first, so each higher source overwrites; every value is checked.
  for (const layer of [file, fromEnv, stored]) {
    for (const [name, candidate] of layer) {
      const flag = toBoolean(candidate.value);
      if (flag === undefined) {
        issues.push({
          name: candidate.name,
          message: `must be true or false, got ${candidate.sensitive ? '(value hidden)' : describeValue(candidate.name, candidate.written)}`,
        });
      } else {
        features[name] = flag;
      }
    }
  }
  return features;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  return undefined;
}

function values(fields: Map<string, Candidate> | undefined): Record<string, unknown> {
  return Object.fromEntries([...(fields ?? [])].map(([field, candidate]) => [field, candidate.value]));
}

/** The config as it may be logged or shown: every secret setting as `***` when set. */
export function describeHubConfig(config: HubConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const key of HUB_SETTING_KEYS) {
    const value = config[key];
    if (value === undefined) continue;
    shown[key] = isSensitiveName(key) ? '***' : describeUrl(value);
  }
  return { ...shown, features: config.features, configFile: config.configFile, origins: config.origins };
}

function describeUrl(value: unknown): unknown {
  return typeof value === 'string'
    ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/i, '$1:***@')
    : value;
}
