import { basename } from 'node:path';
import { type ConfigIssue, isSensitiveName } from './config-error.js';
import type { ConfigFile } from './config-file.js';
import { type HubSettingKey, settingKeyOf } from './hub-settings.js';
import { interpolate } from './interpolate.js';

export type ConfigOrigin = 'stored' | 'env' | 'file' | 'default';

/** One value from one source, with what errors may show of it. */
export interface Candidate {
  value: unknown;
  /** The value as written (before `${…}` or `vault:` resolution): what an error may quote. */
  written: unknown;
  /** How errors name it: `PORT`, `hub.port in patchbay.config.yaml`, `hub.port (stored)`. */
  name: string;
  origin: ConfigOrigin;
  /** Never quote it: a sensitive name, or a value built from a sensitive variable. */
  sensitive: boolean;
}

/** What one source (file or stored) says. */
export interface Layer {
  hub: Map<HubSettingKey, Candidate>;
  /** integration → field → value (`enabled` excluded). */
  integrations: Map<string, Map<string, Candidate>>;
  /** integration → enabled. */
  features: Map<string, Candidate>;
}

const emptyLayer = (): Layer => ({ hub: new Map(), integrations: new Map(), features: new Map() });
const INTEGRATION_NAME = /^[a-z][a-z0-9_]*$/;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads `hub:`, `integrations:` and `features:` of the config file, interpolating `${ENV}`. */
export function fileLayer(
  file: ConfigFile | undefined,
  env: Record<string, string | undefined>,
  issues: ConfigIssue[],
): Layer {
  const layer = emptyLayer();
  if (!file) return layer;
  const label = basename(file.path);
  const named = (path: string) => `${path} in ${label}`;
  if (!isMapping(file.content)) {
    issues.push({ name: label, message: 'must be a mapping with hub, integrations and/or features' });
    return layer;
  }
  const candidate = (path: string, written: unknown): Candidate => {
    const used: string[] = [];
    collectUsed(written, env, used);
    const value = deepInterpolate(written, env, (variable) =>
      issues.push({ name: named(path), message: `\${${variable}} is not set` }),
    );
    return {
      value,
      written,
      name: named(path),
      origin: 'file',
      sensitive: isSensitiveName(path) || used.some(isSensitiveName),
    };
  };
  readSections(file.content, layer, issues, named, candidate);
  return layer;
}

/** The same shape, from what was set through the API (already decrypted, or envelopes). */
export function storedLayer(stored: unknown, issues: ConfigIssue[]): Layer {
  const layer = emptyLayer();
  if (stored === undefined) return layer;
  const named = (path: string) => `${path} (stored)`;
  if (!isMapping(stored)) {
    issues.push({ name: 'stored config', message: 'must be an object' });
    return layer;
  }
  const candidate = (path: string, value: unknown): Candidate => ({
    value,
    written: value,
    name: named(path),
    origin: 'stored',
    sensitive: isSensitiveName(path),
  });
  readSections(stored, layer, issues, named, candidate);
  return layer;
}

function readSections(
  content: Record<string, unknown>,
  layer: Layer,
  issues: ConfigIssue[],
  named: (path: string) => string,
  candidate: (path: string, value: unknown) => Candidate,
): void {
  for (const [section, body] of Object.entries(content)) {
    if (body === null || body === undefined) continue;
    // `webhooks` is read and checked on its own (loadWebhooksConfig): it is not a layered setting.
    if (section === 'webhooks') continue;
    if (!['hub', 'integrations', 'features'].includes(section)) {
      issues.push({
        name: named(section),
        message: 'unknown section (expected hub, integrations, features, webhooks)',
      });
    } else if (!isMapping(body)) {
      issues.push({ name: named(section), message: 'must be a mapping' });
    } else if (section === 'hub') {
      for (const [key, value] of Object.entries(body)) {
        const setting = settingKeyOf(key);
        if (!setting) issues.push({ name: named(`hub.${key}`), message: 'unknown setting' });
        else if (value !== null && value !== undefined)
          layer.hub.set(setting, candidate(`hub.${key}`, value));
      }
    } else if (section === 'features') {
      for (const [name, value] of Object.entries(body)) {
        if (!checkName(name, `features.${name}`, named, issues)) continue;
        layer.features.set(name.toLowerCase(), candidate(`features.${name}`, value));
      }
    } else {
      for (const [name, entry] of Object.entries(body)) {
        const path = `integrations.${name}`;
        if (!checkName(name, path, named, issues)) continue;
        if (entry === null || entry === undefined) continue;
        if (!isMapping(entry)) {
          issues.push({ name: named(path), message: 'must be a mapping of field: value' });
          continue;
        }
        const fields = new Map<string, Candidate>();
        for (const [field, value] of Object.entries(entry)) {
          if (value === null || value === undefined) continue;
          if (field === 'enabled') layer.features.set(name, candidate(`${path}.enabled`, value));
          else fields.set(field, candidate(`${path}.${field}`, value));
        }
        layer.integrations.set(name, fields);
      }
    }
  }
}

function checkName(name: string, path: string, named: (p: string) => string, issues: ConfigIssue[]): boolean {
  if (INTEGRATION_NAME.test(name)) return true;
  issues.push({ name: named(path), message: 'integration names are lower-case letters, digits and _' });
  return false;
}

function deepInterpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  onMissing: (variable: string) => void,
): unknown {
  if (typeof value === 'string') {
    const result = interpolate(value, env);
    for (const variable of result.missing) onMissing(variable);
    return result.value;
  }
  if (Array.isArray(value)) return value.map((item) => deepInterpolate(item, env, onMissing));
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepInterpolate(v, env, onMissing)]));
  }
  return value;
}

function collectUsed(value: unknown, env: Record<string, string | undefined>, used: string[]): void {
  if (typeof value === 'string') used.push(...interpolate(value, env).used);
  else if (Array.isArray(value)) for (const item of value) collectUsed(item, env, used);
  else if (isMapping(value)) for (const item of Object.values(value)) collectUsed(item, env, used);
}
