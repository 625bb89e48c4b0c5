import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { SqlDialect } from './schema.js';

/** The kv key under which the audit chain's head (`{ seq, hash }`) is kept; see `AuditRepository`. */
export const AUDIT_HEAD_KEY = 'audit.head';

/**
 * The hub's migrations, in code so they ship inside the package. Names sort in order; never edit
 * one that has shipped, add the next.
 */
export function hubMigrations(dialect: SqlDialect): Record<string, Migration> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  const bool = pg ? 'boolean' : 'integer';
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('integration_configs')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('enabled', bool)
          .addColumn('values', 'text', (c) => c.notNull())
          .addColumn('updated_at', bigint, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('secrets')
          .addColumn('integration', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('ciphertext', 'text', (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('updated_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('secrets_pk', ['integration', 'field'])
          .execute();
        await db.schema.createIndex('secrets_key_id').on('secrets').column('key_id').execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('integrations', 'text')
          .addColumn('read_only', bool, (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('last_used_at', bigint)
          .addColumn('revoked_at', bigint)
          .execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
            pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('at', bigint, (c) => c.notNull())
          .addColumn('request_id', 'text')
          .addColumn('token_id', 'text')
          .addColumn('integration', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('error_type', 'text')
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addColumn('input_redacted', 'text')
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
        await db.schema
          .createIndex('audit_log_integration')
          .on('audit_log')
          .columns(['integration', 'seq'])
          .execute();
        await db.schema.createIndex('audit_log_token').on('audit_log').columns(['token_id', 'seq']).execute();

        await db.schema
          .createTable('dead_letters')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', bigint, (c) => c.notNull())
          .addColumn('integration', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('input_ciphertext', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text')
          .addColumn('error', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('replayed_at', bigint)
          .addColumn('request_id', 'text')
          .execute();
        await db.schema
          .createIndex('dead_letters_status_at')
          .on('dead_letters')
          .columns(['status', 'at'])
          .execute();
        await db.schema.createIndex('dead_letters_at').on('dead_letters').columns(['at', 'id']).execute();

        await db.schema
          .createTable('kv')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('expires_at', bigint)
          .execute();
        // The audit chain's head row exists from the start, so every append can lock it first.
        await sql`insert into kv (key, value, expires_at) values (${AUDIT_HEAD_KEY}, '', null)`.execute(db);
      },
    },
  };
}

/**
 * Brings the schema to the latest migration. Safe to run from several processes at once: kysely
 * takes a lock (an advisory lock on PostgreSQL) and skips migrations already applied.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: SqlDialect,
  schema?: string,
): Promise<void> {
  const migrations = hubMigrations(dialect);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const { error } = await new Migrator({
    db,
    provider,
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest();
  if (error !== undefined) {
    throw new Error(`storage: migration failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
