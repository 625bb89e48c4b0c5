import type { Kysely } from 'kysely';
import type { HubSchema } from './schema.js';

/** Small hub state (e.g. "admin token printed once"), with an optional expiry. */
export class KvRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value, or `undefined` when absent or expired. */
  async get(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('kv')
      .select(['value', 'expires_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= this.now())) return undefined;
    return row.value;
  }

  /** Sets a value; with `ttlMs` it reads as absent after that long. */
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const expires_at = ttlMs === undefined ? null : this.now() + ttlMs;
    await this.db
      .insertInto('kv')
      .values({ key, value, expires_at })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      )
      .execute();
  }

  /** Sets a value only if the key is absent (or expired); `true` when this call set it. */
  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const now = this.now();
    const expires_at = ttlMs === undefined ? null : now + ttlMs;
    await this.db.deleteFrom('kv').where('key', '=', key).where('expires_at', '<=', now).execute();
    const result = await this.db
      .insertInto('kv')
      .values({ key, value, expires_at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /**
   * Replaces the value only while it is still `expected` (and not expired): a compare-and-set, so
   * a lease holder renews only its own lease. `true` when this call replaced it.
   */
  async replaceIf(key: string, expected: string, value: string, ttlMs?: number): Promise<boolean> {
    const now = this.now();
    const result = await this.db
      .updateTable('kv')
      .set({ value, expires_at: ttlMs === undefined ? null : now + ttlMs })
      .where('key', '=', key)
      .where('value', '=', expected)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes the key only while its value is still `expected`. `true` when this call deleted it. */
  async deleteIf(key: string, expected: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('kv')
      .where('key', '=', key)
      .where('value', '=', expected)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Deletes the expired rows whose key starts with `prefix`; returns how many. */
  async deleteExpired(prefix: string): Promise<number> {
    const result = await this.db
      .deleteFrom('kv')
      .where('key', '>=', prefix)
      .where('key', '<', `${prefix}\uffff`)
      .where('expires_at', '<=', this.now())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('kv').where('key', '=', key).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
