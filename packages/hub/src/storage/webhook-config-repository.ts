import type { Kysely, Transaction } from 'kysely';
import { fromDbBool, fromJson, toDbBool, toJson } from './codec.js';
import type { HubSchema } from './schema.js';

/** A sealed secret as the caller encrypted it; storage never sees plaintext. */
export interface SealedSecret {
  ciphertext: string;
  keyId: string;
}

/**
 * Where a webhook source's or subscriber's secrets live in the `secrets` table: integration
 * `webhook/<source>` or `webhook-subscriber/<name>`, field `secrets`. So they are sealed with AAD
 * `webhook/<source>/secrets` and re-encrypted by `patchbay secrets rotate` with every other secret.
 */
export const WEBHOOK_SECRET_FIELD = 'secrets';
export const sourceSecretOwner = (source: string): string => `webhook/${source}`;
export const subscriberSecretOwner = (name: string): string => `webhook-subscriber/${name}`;

export interface StoredWebhookSource {
  name: string;
  /** The source's settings without its secrets (validated by the webhooks module, not here). */
  settings: unknown;
  /** The sealed secrets, if any were stored. */
  secrets: SealedSecret | undefined;
  updatedAt: number;
  version: number;
}

export interface StoredWebhookSubscriber {
  name: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  secrets: SealedSecret | undefined;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/**
 * `undefined` keeps the stored secrets, `null` deletes them, a value replaces them: an update that
 * does not mention secrets must not lose them.
 */
export type SecretWrite = SealedSecret | null | undefined;

/** Webhook sources and subscribers set through the admin API, with their sealed secrets. */
export class WebhookConfigRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  async putSource(name: string, settings: unknown, secrets: SecretWrite): Promise<StoredWebhookSource> {
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_sources')
        .values({ name, settings: toJson(settings), updated_at: now, version: 1 })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            settings: eb.ref('excluded.settings'),
            updated_at: eb.ref('excluded.updated_at'),
            version: eb('webhook_sources.version', '+', 1),
          })),
        )
        .execute();
      await writeSecret(trx, sourceSecretOwner(name), secrets, now);
      return (await readSource(trx, name)) as StoredWebhookSource;
    });
  }

  async getSource(name: string): Promise<StoredWebhookSource | undefined> {
    return readSource(this.db, name);
  }

  async listSources(): Promise<StoredWebhookSource[]> {
    const rows = await this.db.selectFrom('webhook_sources').selectAll().orderBy('name').execute();
    const secrets = await secretsByOwner(this.db, 'webhook/');
    return rows.map((row) => ({
      name: row.name,
      settings: fromJson(row.settings),
      secrets: secrets.get(sourceSecretOwner(row.name)),
      updatedAt: row.updated_at,
      version: row.version,
    }));
  }

  /** Deletes the source and its secrets; `false` if it was not stored. */
  async deleteSource(name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('secrets').where('integration', '=', sourceSecretOwner(name)).execute();
      const result = await trx.deleteFrom('webhook_sources').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async putSubscriber(
    name: string,
    values: { url: string; eventTypes: readonly string[]; enabled: boolean },
    secrets: SecretWrite,
  ): Promise<StoredWebhookSubscriber> {
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_subscribers')
        .values({
          name,
          url: values.url,
          event_types: toJson(values.eventTypes),
          enabled: toDbBool(values.enabled),
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            event_types: eb.ref('excluded.event_types'),
            enabled: eb.ref('excluded.enabled'),
            updated_at: eb.ref('excluded.updated_at'),
            version: eb('webhook_subscribers.version', '+', 1),
          })),
        )
        .execute();
      await writeSecret(trx, subscriberSecretOwner(name), secrets, now);
      return (await readSubscriber(trx, name)) as StoredWebhookSubscriber;
    });
  }

  async getSubscriber(name: string): Promise<StoredWebhookSubscriber | undefined> {
    return readSubscriber(this.db, name);
  }

  async listSubscribers(): Promise<StoredWebhookSubscriber[]> {
    const rows = await this.db.selectFrom('webhook_subscribers').selectAll().orderBy('name').execute();
    const secrets = await secretsByOwner(this.db, 'webhook-subscriber/');
    return rows.map((row) => ({
      name: row.name,
      url: row.url,
      eventTypes: fromJson<string[]>(row.event_types),
      enabled: fromDbBool(row.enabled),
      secrets: secrets.get(subscriberSecretOwner(row.name)),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: row.version,
    }));
  }

  /** Deletes the subscriber and its secrets (its outbox rows stay, for the record); `false` if unknown. */
  async deleteSubscriber(name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('secrets').where('integration', '=', subscriberSecretOwner(name)).execute();
      const result = await trx.deleteFrom('webhook_subscribers').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }
}

async function writeSecret(
  trx: Transaction<HubSchema>,
  owner: string,
  secrets: SecretWrite,
  now: number,
): Promise<void> {
  if (secrets === undefined) return;
  if (secrets === null) {
    await trx.deleteFrom('secrets').where('integration', '=', owner).execute();
    return;
  }
  await trx
    .insertInto('secrets')
    .values({
      integration: owner,
      field: WEBHOOK_SECRET_FIELD,
      ciphertext: secrets.ciphertext,
      key_id: secrets.keyId,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['integration', 'field']).doUpdateSet((eb) => ({
        ciphertext: eb.ref('excluded.ciphertext'),
        key_id: eb.ref('excluded.key_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

async function readSecret(db: Kysely<HubSchema>, owner: string): Promise<SealedSecret | undefined> {
  const row = await db
    .selectFrom('secrets')
    .select(['ciphertext', 'key_id'])
    .where('integration', '=', owner)
    .where('field', '=', WEBHOOK_SECRET_FIELD)
    .executeTakeFirst();
  return row && { ciphertext: row.ciphertext, keyId: row.key_id };
}

async function secretsByOwner(db: Kysely<HubSchema>, prefix: string): Promise<Map<string, SealedSecret>> {
  const rows = await db
    .selectFrom('secrets')
    .select(['integration', 'ciphertext', 'key_id'])
    .where('integration', 'like', `${prefix}%`)
    .where('field', '=', WEBHOOK_SECRET_FIELD)
    .execute();
  return new Map(rows.map((r) => [r.integration, { ciphertext: r.ciphertext, keyId: r.key_id }]));
}

async function readSource(db: Kysely<HubSchema>, name: string): Promise<StoredWebhookSource | undefined> {
  const row = await db.selectFrom('webhook_sources').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) return undefined;
  return {
    name: row.name,
    settings: fromJson(row.settings),
    secrets: await readSecret(db, sourceSecretOwner(name)),
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function readSubscriber(
  db: Kysely<HubSchema>,
  name: string,
): Promise<StoredWebhookSubscriber | undefined> {
  const row = await db
    .selectFrom('webhook_subscribers')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    name: row.name,
    url: row.url,
    eventTypes: fromJson<string[]>(row.event_types),
    enabled: fromDbBool(row.enabled),
    secrets: await readSecret(db, subscriberSecretOwner(name)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
