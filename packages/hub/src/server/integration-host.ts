import {
  createIntegration,
  type EgressOptions,
  type FieldIssue,
  type Integration,
  type IntegrationDefinition,
  type Logger,
  resolveIntegrationConfig,
  type StateStore,
  secretFields,
} from '@patchbay/core';
import type { z } from 'zod';
import { type FieldOrigin, type HubConfig, integrationSources } from '../config/index.js';
import { type SecretCipher, secretAad } from '../secrets/index.js';
import type { Repositories } from '../storage/index.js';
import { invalid } from './hub-errors.js';

/** One integration as the hub runs it. */
export interface HostedIntegration {
  readonly name: string;
  readonly definition: IntegrationDefinition;
  readonly integration: Integration;
  /** Where each config field's value came from (never the value). */
  readonly origins: Readonly<Record<string, FieldOrigin>>;
  /** Non-secret values as the integration sees them. */
  readonly publicValues: Readonly<Record<string, unknown>>;
  /** Secret fields with a value, and when the stored ones were set. */
  readonly secrets: Readonly<Record<string, { value: '***'; origin: FieldOrigin; updatedAt?: number }>>;
  readonly enabled: boolean;
  readonly configured: boolean;
  readonly issues: readonly FieldIssue[];
  /** True when a URL came through the API, so the client refuses private destinations. */
  readonly egressEnforced: boolean;
}

export interface IntegrationHostOptions {
  config: HubConfig;
  definitions: readonly IntegrationDefinition[];
  repositories: Repositories;
  cipher: SecretCipher;
  store: StateStore;
  logger?: Logger;
  /** The egress policy for URLs set through the API. @default {} (public addresses only) */
  egress?: EgressOptions;
}

/** What `POST /configure` accepts. */
export interface ConfigureRequest {
  enabled?: boolean | null;
  /** Field values; `null` clears what was stored for that field. */
  values?: Record<string, unknown>;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Builds every integration from its config, stored (API) > env > file, and rebuilds one when it
 * is configured again. Stored secrets are decrypted with AAD `<integration>/<field>`.
 */
export class IntegrationHost {
  private readonly hosted = new Map<string, HostedIntegration>();
  private readonly definitions = new Map<string, IntegrationDefinition>();
  private readonly listeners = new Set<(entry: HostedIntegration) => void>();

  constructor(private readonly options: IntegrationHostOptions) {
    for (const definition of options.definitions) {
      if (this.definitions.has(definition.name)) {
        throw new Error(`hub: two integrations are named ${definition.name}`);
      }
      this.definitions.set(definition.name, definition);
    }
  }

  names(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /** Every integration this hub serves, by name. */
  allDefinitions(): IntegrationDefinition[] {
    return this.names().map((name) => this.definitions.get(name) as IntegrationDefinition);
  }

  /**
   * Calls `listener` after each (re)build of an integration (configure, enable, disable), so
   * tool lists can follow configuration. Returns the unsubscribe function.
   */
  onChange(listener: (entry: HostedIntegration) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The integrations that are enabled and configured: the ones whose tools are offered. */
  usable(): HostedIntegration[] {
    return this.names()
      .map((name) => this.hosted.get(name))
      .filter((entry): entry is HostedIntegration => entry?.configured === true);
  }

  get(name: string): HostedIntegration | undefined {
    return this.hosted.get(name);
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /** Replaces an integration's definition (same name: its custom tools changed) and rebuilds it. */
  async redefine(definition: IntegrationDefinition): Promise<HostedIntegration> {
    if (!this.definitions.has(definition.name)) throw new Error(`hub: no integration ${definition.name}`);
    this.definitions.set(definition.name, definition);
    return this.reload(definition.name);
  }

  async loadAll(): Promise<void> {
    for (const name of this.definitions.keys()) await this.reload(name);
  }

  /** Builds (or rebuilds) one integration from the current sources; the old client is closed. */
  async reload(name: string): Promise<HostedIntegration> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`hub: no integration ${name}`);
    const { config, repositories, cipher } = this.options;
    const sources = integrationSources(name, definition, config);
    const values = { ...sources.values };
    const origins: Record<string, FieldOrigin> = { ...sources.origins };
    const stored = await repositories.configs.get(name);
    let egressEnforced = false;
    for (const [field, value] of Object.entries(stored?.values ?? {})) {
      if (value === undefined || value === null) continue;
      values[field] = value;
      origins[field] = 'stored';
      if (typeof value === 'string' && URL_LIKE.test(value)) egressEnforced = true;
    }
    const secretNames = new Set(secretFields(definition.config));
    const secrets: Record<string, { value: '***'; origin: FieldOrigin; updatedAt?: number }> = {};
    for (const record of await repositories.secrets.list(name)) {
      values[record.field] = cipher.decrypt(record.ciphertext, secretAad(name, record.field));
      origins[record.field] = 'stored';
      secrets[record.field] = { value: '***', origin: 'stored', updatedAt: record.updatedAt };
    }
    for (const field of secretNames) {
      const origin = origins[field];
      if (values[field] !== undefined && origin && !secrets[field]) secrets[field] = { value: '***', origin };
    }
    const enabled = stored?.enabled ?? sources.enabled;
    const resolution = resolveIntegrationConfig(definition, { values, env: {}, enabled });
    const integration = createIntegration(
      { ...definition, policies: sources.policies },
      {
        values,
        env: {},
        enabled,
        store: this.options.store,
        ...(this.options.logger ? { logger: this.options.logger } : {}),
        ...(egressEnforced ? { client: { egress: this.options.egress ?? {} } } : {}),
      },
    );
    await integration.initialize();
    const publicValues: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(values))
      if (!secretNames.has(field)) publicValues[field] = value;
    const entry: HostedIntegration = {
      name,
      definition,
      integration,
      origins,
      publicValues,
      secrets,
      enabled: resolution.enabled,
      configured: resolution.enabled && resolution.ok,
      issues: resolution.enabled && !resolution.ok ? resolution.issues : [],
      egressEnforced,
    };
    const previous = this.hosted.get(name);
    this.hosted.set(name, entry);
    // Waits for its calls in flight, then frees the pool; nobody waits on it.
    previous?.integration.close().catch(() => undefined);
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // A listener's failure must not undo a configuration that is already stored.
      }
    }
    return entry;
  }

  /**
   * Validates and stores new values: secret fields encrypted into the secret table, the rest in
   * the config table; then rebuilds the integration. Each field is checked against its own schema
   * (so a partial config can be set step by step); 400 names every bad field.
   */
  async configure(name: string, request: ConfigureRequest): Promise<HostedIntegration> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`hub: no integration ${name}`);
    const shape = definition.config.shape as Record<string, z.ZodType>;
    const secretNames = new Set(secretFields(definition.config));
    const issues: FieldIssue[] = [];
    const plain: Record<string, unknown> = {};
    const secretValues: Record<string, string | null> = {};
    for (const [field, value] of Object.entries(request.values ?? {})) {
      const schema = shape[field];
      if (!schema || !Object.hasOwn(shape, field)) {
        issues.push({
          path: `values.${field}`,
          message: `unknown field (fields: ${Object.keys(shape).join(', ')})`,
        });
        continue;
      }
      if (value === null) {
        if (secretNames.has(field)) secretValues[field] = null;
        else plain[field] = null;
        continue;
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const sub = issue.path.map((p) => String(p)).join('.');
          issues.push({ path: `values.${field}${sub ? `.${sub}` : ''}`, message: issue.message });
        }
        continue;
      }
      if (secretNames.has(field)) secretValues[field] = String(parsed.data);
      else plain[field] = value;
    }
    if (issues.length > 0) throw invalid(`Invalid configuration for ${name}`, issues);

    const { repositories, cipher } = this.options;
    for (const [field, value] of Object.entries(secretValues)) {
      if (value === null) {
        await repositories.secrets.delete(name, field);
      } else {
        await repositories.secrets.put(name, field, {
          ciphertext: cipher.encrypt(value, secretAad(name, field)),
          keyId: cipher.keyId,
        });
      }
    }
    const hasPlain = Object.keys(plain).length > 0;
    if (hasPlain || request.enabled !== undefined) {
      const current = (await repositories.configs.get(name))?.values ?? {};
      const next: Record<string, unknown> = { ...current };
      for (const [field, value] of Object.entries(plain)) {
        if (value === null) delete next[field];
        else next[field] = value;
      }
      await repositories.configs.upsert(name, {
        values: next,
        ...(request.enabled !== undefined ? { enabled: request.enabled } : {}),
      });
    }
    return this.reload(name);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.hosted.values()].map((entry) => entry.integration.close()));
    this.hosted.clear();
  }
}
