import type { Logger } from '@patchbay/core';
import { type SecretCipher, secretAad } from '../../secrets/index.js';
import {
  sourceSecretOwner,
  WEBHOOK_SECRET_FIELD,
  type WebhookConfigRepository,
} from '../../storage/index.js';
import { type SourceSettings, SourceSettingsSchema } from '../config/webhook-settings.js';
import { resolveTransform } from '../transform/resolve-transform.js';
import type { WebhookTransform } from '../transform/transforms.js';
import { RefreshingValue } from './refreshing-value.js';

/** Where a source's definition came from; the API's wins over the file's of the same name. */
export type SourceOrigin = 'stored' | 'file' | 'slack-integration';

/** A source ready to verify and transform deliveries: its secrets decrypted, in memory only. */
export interface ResolvedSource {
  name: string;
  settings: SourceSettings;
  secrets: readonly string[];
  transform: WebhookTransform;
  origin: SourceOrigin;
}

export interface SourceRegistryOptions {
  /** Sources from the config file (secrets resolved from the environment). */
  file: Readonly<Record<string, SourceSettings>>;
  repository: WebhookConfigRepository;
  cipher: SecretCipher;
  /** TS transformations by name, usable as a source's `transform`. */
  transforms: Readonly<Record<string, WebhookTransform>>;
  /** The Slack integration's signing secret (`SLACK_SIGNING_SECRET`): serves `slack` when no source is named so. */
  slackSigningSecret?: (() => string | undefined) | undefined;
  /** How long a process trusts its copy before reading storage again. @default 5000 */
  refreshMs?: number;
  log?: Logger | undefined;
}

/** Seals a source's secrets for storage, bound to the source (AAD `webhook/<name>/secrets`). */
export function sealSourceSecrets(cipher: SecretCipher, name: string, secrets: readonly string[]) {
  return {
    ciphertext: cipher.encrypt(
      JSON.stringify(secrets),
      secretAad(sourceSecretOwner(name), WEBHOOK_SECRET_FIELD),
    ),
    keyId: cipher.keyId,
  };
}

/**
 * Every webhook source, merged: stored through the admin API > config file > the Slack
 * integration's signing secret (for `slack` only). Reloaded from storage every `refreshMs`, and at
 * once after a change through this process.
 */
export class SourceRegistry {
  private readonly cache: RefreshingValue<Map<string, ResolvedSource>>;

  constructor(private readonly options: SourceRegistryOptions) {
    for (const [name, settings] of Object.entries(options.file)) this.resolve(name, settings, [], 'file');
    this.cache = new RefreshingValue(() => this.loadAll(), options.refreshMs ?? 5000);
  }

  async get(name: string): Promise<ResolvedSource | undefined> {
    return (await this.cache.get()).get(name);
  }

  async list(): Promise<ResolvedSource[]> {
    return [...(await this.cache.get()).values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Re-reads storage now (after a change made through this process). */
  async reload(): Promise<void> {
    await this.cache.refresh();
  }

  /**
   * Builds a source from settings, checking that its transformation exists; throws a TypeError
   * naming what is wrong. `secrets` fills in when the settings carry none.
   */
  resolve(
    name: string,
    settings: SourceSettings,
    secrets: readonly string[],
    origin: SourceOrigin,
  ): ResolvedSource {
    const own = settings.secrets ?? secrets;
    if (settings.verify !== 'none' && own.length === 0) {
      throw new TypeError(`webhook source ${name}: verify: ${settings.verify} needs at least one secret`);
    }
    return {
      name,
      settings,
      secrets: own,
      transform: resolveTransform(settings, this.options.transforms),
      origin,
    };
  }

  private async loadAll(): Promise<Map<string, ResolvedSource>> {
    const { file, repository, cipher, slackSigningSecret, log } = this.options;
    const sources = new Map<string, ResolvedSource>();
    const slackSecret = slackSigningSecret?.();
    if (slackSecret) {
      const settings = SourceSettingsSchema.parse({ verify: 'slack', secrets: [slackSecret] });
      sources.set('slack', this.resolve('slack', settings, [], 'slack-integration'));
    }
    for (const [name, settings] of Object.entries(file))
      sources.set(name, this.resolve(name, settings, [], 'file'));
    for (const stored of await repository.listSources()) {
      try {
        const settings = SourceSettingsSchema.parse(stored.settings);
        const secrets = stored.secrets
          ? (JSON.parse(
              cipher.decrypt(
                stored.secrets.ciphertext,
                secretAad(sourceSecretOwner(stored.name), WEBHOOK_SECRET_FIELD),
              ),
            ) as string[])
          : [];
        sources.set(stored.name, this.resolve(stored.name, settings, secrets, 'stored'));
      } catch (error) {
        // One unreadable source must not take the others down; it answers 404 until fixed.
        log?.error({ source: stored.name, err: (error as Error).message }, 'stored webhook source skipped');
      }
    }
    return sources;
  }
}
