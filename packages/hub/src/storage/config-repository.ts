import type { Kysely, Selectable } from 'kysely';
import { fromDbNullableBool, fromJson, toDbBool, toJson } from './codec.js';
import { VersionConflictError } from './errors.js';
import type { HubSchema, IntegrationConfigsTable } from './schema.js';

/** An integration's stored (API-set) configuration: non-secret values only. */
export interface ConfigRecord {
  name: string;
  /** `null`: not set here, so env, file or defaults decide. */
  enabled: boolean | null;
  values: Record<string, unknown>;
  updatedAt: number;
  /** Starts at 1 and grows by one on every write; pass it back as `expectedVersion`. */
  version: number;
}

export interface ConfigWrite {
  values: Record<string, unknown>;
  /** Left out: keep what is stored (`null` on insert). */
  enabled?: boolean | null;
}

export interface UpsertOptions {
  /**
   * The version the caller read. `0` means "must not exist yet"; a conflict throws
   * {@link VersionConflictError}. Left out: last writer wins.
   */
  expectedVersion?: number;
}

/** Integration configs, with optimistic concurrency on `version`. */
export class ConfigRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(name: string): Promise<ConfigRecord | undefined> {
    const row = await this.db
      .selectFrom('integration_configs')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(): Promise<ConfigRecord[]> {
    const rows = await this.db.selectFrom('integration_configs').selectAll().orderBy('name').execute();
    return rows.map(toRecord);
  }

  async upsert(name: string, write: ConfigWrite, options: UpsertOptions = {}): Promise<ConfigRecord> {
    const at = this.now();
    const values = toJson(write.values);
    const enabled = write.enabled === undefined || write.enabled === null ? null : toDbBool(write.enabled);
    const expected = options.expectedVersion;

    if (expected === undefined) {
      const row = await this.db
        .insertInto('integration_configs')
        .values({ name, enabled, values, updated_at: at, version: 1 })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            values: eb.ref('excluded.values'),
            updated_at: eb.ref('excluded.updated_at'),
            version: eb('integration_configs.version', '+', 1),
            ...(write.enabled !== undefined ? { enabled: eb.ref('excluded.enabled') } : {}),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    }

    if (expected === 0) {
      const row = await this.db
        .insertInto('integration_configs')
        .values({ name, enabled, values, updated_at: at, version: 1 })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return toRecord(row);
      throw await this.conflict(name, expected);
    }

    const row = await this.db
      .updateTable('integration_configs')
      .set((eb) => ({
        values,
        updated_at: at,
        version: eb('version', '+', 1),
        ...(write.enabled !== undefined ? { enabled } : {}),
      }))
      .where('name', '=', name)
      .where('version', '=', expected)
      .returningAll()
      .executeTakeFirst();
    if (row) return toRecord(row);
    throw await this.conflict(name, expected);
  }

  /** Sets (or with `null` clears) the stored enabled flag, creating the row if needed. */
  async setEnabled(name: string, enabled: boolean | null): Promise<ConfigRecord> {
    const row = await this.db
      .insertInto('integration_configs')
      .values({
        name,
        enabled: enabled === null ? null : toDbBool(enabled),
        values: '{}',
        updated_at: this.now(),
        version: 1,
      })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({
          enabled: eb.ref('excluded.enabled'),
          updated_at: eb.ref('excluded.updated_at'),
          version: eb('integration_configs.version', '+', 1),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('integration_configs')
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  private async conflict(name: string, expected: number): Promise<VersionConflictError> {
    const current = await this.get(name);
    return new VersionConflictError('integration config', name, expected, current?.version);
  }
}

function toRecord(row: Selectable<IntegrationConfigsTable>): ConfigRecord {
  return {
    name: row.name,
    enabled: fromDbNullableBool(row.enabled),
    values: fromJson<Record<string, unknown>>(row.values),
    updatedAt: row.updated_at,
    version: row.version,
  };
}
