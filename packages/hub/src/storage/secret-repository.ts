import type { Kysely, Selectable } from 'kysely';
import type { HubSchema, SecretsTable } from './schema.js';

/** A stored secret: an opaque envelope and the id of the key that wraps it. Never plaintext. */
export interface SecretRecord {
  integration: string;
  field: string;
  ciphertext: string;
  keyId: string;
  updatedAt: number;
}

/** One re-encrypted secret for {@link SecretRepository.rewrap}. */
export interface SecretRewrap {
  integration: string;
  field: string;
  /** The key id the caller decrypted under; the row is only replaced if it still has it. */
  fromKeyId: string;
  ciphertext: string;
  keyId: string;
}

/** Encrypted secrets, one row per (integration, field). Stores what it is given, verbatim. */
export class SecretRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  async put(
    integration: string,
    field: string,
    envelope: { ciphertext: string; keyId: string },
  ): Promise<SecretRecord> {
    const row = await this.db
      .insertInto('secrets')
      .values({
        integration,
        field,
        ciphertext: envelope.ciphertext,
        key_id: envelope.keyId,
        updated_at: this.now(),
      })
      .onConflict((oc) =>
        oc.columns(['integration', 'field']).doUpdateSet((eb) => ({
          ciphertext: eb.ref('excluded.ciphertext'),
          key_id: eb.ref('excluded.key_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async get(integration: string, field: string): Promise<SecretRecord | undefined> {
    const row = await this.db
      .selectFrom('secrets')
      .selectAll()
      .where('integration', '=', integration)
      .where('field', '=', field)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Every secret of one integration, by field. */
  async list(integration: string): Promise<SecretRecord[]> {
    const rows = await this.db
      .selectFrom('secrets')
      .selectAll()
      .where('integration', '=', integration)
      .orderBy('field')
      .execute();
    return rows.map(toRecord);
  }

  /** Deletes one field, or every field of the integration when `field` is left out. Returns the count. */
  async delete(integration: string, field?: string): Promise<number> {
    let query = this.db.deleteFrom('secrets').where('integration', '=', integration);
    if (field !== undefined) query = query.where('field', '=', field);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Every secret not yet under `currentKeyId` (all of them when left out), for key rotation. */
  async allForRotation(currentKeyId?: string): Promise<SecretRecord[]> {
    let query = this.db.selectFrom('secrets').selectAll();
    if (currentKeyId !== undefined) query = query.where('key_id', '<>', currentKeyId);
    const rows = await query.orderBy('integration').orderBy('field').execute();
    return rows.map(toRecord);
  }

  /**
   * Replaces re-encrypted secrets in one transaction. A row whose key id is no longer `fromKeyId`
   * (someone wrote it meanwhile) is left alone and not counted. Returns how many were replaced.
   */
  async rewrap(updates: readonly SecretRewrap[]): Promise<number> {
    if (updates.length === 0) return 0;
    const at = this.now();
    return this.db.transaction().execute(async (trx) => {
      let replaced = 0;
      for (const u of updates) {
        const result = await trx
          .updateTable('secrets')
          .set({ ciphertext: u.ciphertext, key_id: u.keyId, updated_at: at })
          .where('integration', '=', u.integration)
          .where('field', '=', u.field)
          .where('key_id', '=', u.fromKeyId)
          .executeTakeFirst();
        replaced += Number(result.numUpdatedRows);
      }
      return replaced;
    });
  }
}

function toRecord(row: Selectable<SecretsTable>): SecretRecord {
  return {
    integration: row.integration,
    field: row.field,
    ciphertext: row.ciphertext,
    keyId: row.key_id,
    updatedAt: row.updated_at,
  };
}
