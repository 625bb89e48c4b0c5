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
    '0002_approvals': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('approvals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('integration', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .addColumn('requested_by', 'text')
          .addColumn('requested_by_name', 'text')
          .addColumn('input_redacted', 'text', (c) => c.notNull())
          .addColumn('preview', 'text', (c) => c.notNull())
          .addColumn('decided_at', bigint)
          .addColumn('decided_by', 'text')
          .addColumn('decided_by_name', 'text')
          .addColumn('reason', 'text')
          .addColumn('waiter_seen_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('approvals_status_created')
          .on('approvals')
          .columns(['status', 'created_at'])
          .execute();
        await db.schema
          .createIndex('approvals_created')
          .on('approvals')
          .columns(['created_at', 'id'])
          .execute();
      },
    },
    '0003_webhooks': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('delivery_id', 'text', (c) => c.notNull())
          .addColumn('received_at', bigint, (c) => c.notNull())
          .addColumn('content_type', 'text')
          .addColumn('headers', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('verification', 'text', (c) => c.notNull())
          .addColumn('test', bool, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', bigint, (c) => c.notNull())
          .addColumn('lease_token', 'text')
          .addColumn('lease_until', bigint)
          .addColumn('event_type', 'text')
          .addColumn('last_error', 'text')
          .addColumn('processed_at', bigint)
          .addUniqueConstraint('webhook_deliveries_source_delivery', ['source', 'delivery_id'])
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_due')
          .on('webhook_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_log')
          .on('webhook_deliveries')
          .columns(['source', 'received_at', 'id'])
          .execute();

        await db.schema
          .createTable('webhook_events')
          .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
            pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('delivery_row_id', 'text', (c) => c.notNull().unique())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('test', bool, (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('webhook_outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subscriber', 'text', (c) => c.notNull())
          .addColumn('event_seq', bigint, (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', bigint, (c) => c.notNull())
          .addColumn('lease_token', 'text')
          .addColumn('lease_until', bigint)
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('delivered_at', bigint)
          .addUniqueConstraint('webhook_outbox_subscriber_message', ['subscriber', 'message_id'])
          .execute();
        await db.schema
          .createIndex('webhook_outbox_due')
          .on('webhook_outbox')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('webhook_outbox_subscriber')
          .on('webhook_outbox')
          .columns(['subscriber', 'created_at', 'id'])
          .execute();

        await db.schema
          .createTable('webhook_sources')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('updated_at', bigint, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('webhook_subscribers')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('event_types', 'text', (c) => c.notNull())
          .addColumn('enabled', bool, (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('updated_at', bigint, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();
      },
    },
    '0004_custom_tools': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('custom_tools')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('integration', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('spec', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('created_by', 'text')
          .execute();
        await db.schema
          .createIndex('custom_tools_integration')
          .on('custom_tools')
          .column('integration')
          .execute();
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
