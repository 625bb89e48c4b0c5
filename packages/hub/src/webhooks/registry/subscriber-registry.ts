import type { Logger } from '@patchbay/core';
import { type SecretCipher, secretAad } from '../../secrets/index.js';
import {
  subscriberSecretOwner,
  WEBHOOK_SECRET_FIELD,
  type WebhookConfigRepository,
} from '../../storage/index.js';
import type { SubscriberSettings } from '../config/webhook-settings.js';
import { compilePatterns } from './patterns.js';
import { RefreshingValue } from './refreshing-value.js';

/** A subscriber ready to be matched and signed for: its secrets decrypted, in memory only. */
export interface ResolvedSubscriber {
  name: string;
  url: string;
  eventTypes: readonly string[];
  /** Signing secrets, newest first (one, or two during a rotation). */
  secrets: readonly string[];
  enabled: boolean;
  origin: 'stored' | 'file';
  /** True when the subscriber wants `<source>.<type>`. */
  wants(eventName: string): boolean;
}

export interface SubscriberRegistryOptions {
  file: readonly SubscriberSettings[];
  repository: WebhookConfigRepository;
  cipher: SecretCipher;
  /** @default 5000 */
  refreshMs?: number;
  log?: Logger | undefined;
}

/** Seals a subscriber's secrets for storage (AAD `webhook-subscriber/<name>/secrets`). */
export function sealSubscriberSecrets(cipher: SecretCipher, name: string, secrets: readonly string[]) {
  return {
    ciphertext: cipher.encrypt(
      JSON.stringify(secrets),
      secretAad(subscriberSecretOwner(name), WEBHOOK_SECRET_FIELD),
    ),
    keyId: cipher.keyId,
  };
}

export function openSubscriberSecrets(cipher: SecretCipher, name: string, ciphertext: string): string[] {
  return JSON.parse(
    cipher.decrypt(ciphertext, secretAad(subscriberSecretOwner(name), WEBHOOK_SECRET_FIELD)),
  ) as string[];
}

function resolved(
  name: string,
  values: { url: string; eventTypes: readonly string[]; secrets: readonly string[]; enabled: boolean },
  origin: 'stored' | 'file',
): ResolvedSubscriber {
  return { name, ...values, origin, wants: compilePatterns(values.eventTypes) };
}

/**
 * Every subscriber, merged: stored through the admin API > config file (by name). Reloaded from
 * storage every `refreshMs`, and at once after a change through this process.
 */
export class SubscriberRegistry {
  private readonly cache: RefreshingValue<Map<string, ResolvedSubscriber>>;

  constructor(private readonly options: SubscriberRegistryOptions) {
    this.cache = new RefreshingValue(() => this.loadAll(), options.refreshMs ?? 5000);
  }

  async get(name: string): Promise<ResolvedSubscriber | undefined> {
    return (await this.cache.get()).get(name);
  }

  async list(): Promise<ResolvedSubscriber[]> {
    return [...(await this.cache.get()).values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The names of the enabled subscribers that want this event. */
  async matching(source: string, type: string): Promise<string[]> {
    const name = `${source}.${type}`;
    return (await this.list()).filter((s) => s.enabled && s.wants(name)).map((s) => s.name);
  }

  async reload(): Promise<void> {
    await this.cache.refresh();
  }

  private async loadAll(): Promise<Map<string, ResolvedSubscriber>> {
    const { file, repository, cipher, log } = this.options;
    const subscribers = new Map<string, ResolvedSubscriber>();
    for (const s of file) subscribers.set(s.name, resolved(s.name, s, 'file'));
    for (const stored of await repository.listSubscribers()) {
      try {
        const secrets = stored.secrets
          ? openSubscriberSecrets(cipher, stored.name, stored.secrets.ciphertext)
          : [];
        subscribers.set(stored.name, resolved(stored.name, { ...stored, secrets }, 'stored'));
      } catch (error) {
        log?.error(
          { subscriber: stored.name, err: (error as Error).message },
          'stored webhook subscriber skipped',
        );
      }
    }
    return subscribers;
  }
}
