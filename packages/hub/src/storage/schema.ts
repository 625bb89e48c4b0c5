import type { ColumnType, Generated } from 'kysely';

/**
 * Booleans are stored as `boolean` on PostgreSQL and `INTEGER` 0/1 on SQLite; writes always send
 * 0/1 (PostgreSQL parses the untyped parameter `'1'` as `true`), reads go through `Boolean()`.
 */
type Bool = ColumnType<boolean | number, number, number>;
type NullableBool = ColumnType<boolean | number | null, number | null, number | null>;
/** Epoch milliseconds: `BIGINT` on PostgreSQL (parsed to a number), `INTEGER` on SQLite. */
type EpochMs = number;
/** JSON is stored as `TEXT` on both dialects, so what is hashed and compared is byte-exact. */
type JsonText = string;

export interface IntegrationConfigsTable {
  name: string;
  enabled: NullableBool;
  /** Non-secret values only; secrets live in {@link SecretsTable}. */
  values: JsonText;
  updated_at: EpochMs;
  version: number;
}

export interface SecretsTable {
  integration: string;
  field: string;
  /** An opaque envelope produced by the secrets module; storage never sees plaintext. */
  ciphertext: string;
  key_id: string;
  updated_at: EpochMs;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  scopes: JsonText;
  integrations: JsonText | null;
  read_only: Bool;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: EpochMs;
  request_id: string | null;
  token_id: string | null;
  integration: string;
  operation: string;
  outcome: string;
  error_type: string | null;
  duration_ms: number;
  input_redacted: JsonText | null;
  prev_hash: string;
  hash: string;
}

export type DeadLetterStatus = 'pending' | 'replayed' | 'failed';

export interface DeadLettersTable {
  id: string;
  at: EpochMs;
  integration: string;
  operation: string;
  input_ciphertext: string;
  idempotency_key: string | null;
  error: JsonText;
  attempts: number;
  status: DeadLetterStatus;
  replayed_at: EpochMs | null;
  request_id: string | null;
}

export interface KvTable {
  key: string;
  value: string;
  expires_at: EpochMs | null;
}

/** The hub's one schema, the same on SQLite and PostgreSQL. */
export interface HubSchema {
  integration_configs: IntegrationConfigsTable;
  secrets: SecretsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  dead_letters: DeadLettersTable;
  kv: KvTable;
}

export type SqlDialect = 'sqlite' | 'postgres';
