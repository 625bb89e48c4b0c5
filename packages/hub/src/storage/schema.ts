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

/** Where a pending approval stands; only `pending` moves, and only once. */
export type ApprovalStatus = 'pending' | 'granted' | 'denied' | 'expired' | 'cancelled' | 'abandoned';

/** A write an agent asked for that waits for an admin's decision (see `approvals/`). */
export interface ApprovalsTable {
  id: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  status: ApprovalStatus;
  integration: string;
  operation: string;
  /** The edge the call came through (`mcp`, `bus`). */
  channel: string;
  request_id: string | null;
  /** Token id and name of the caller; null for a local command. */
  requested_by: string | null;
  requested_by_name: string | null;
  /** The input as the audit log keeps it (secrets redacted); the real input never leaves the waiting process. */
  input_redacted: JsonText;
  /** The dry run's request (secrets redacted) or `{ error }` when it could not be built. */
  preview: JsonText;
  decided_at: EpochMs | null;
  decided_by: string | null;
  decided_by_name: string | null;
  reason: string | null;
  /** Last sign of life of the waiting call; a grant after it went quiet is refused. */
  waiter_seen_at: EpochMs;
}

/** Where a received webhook delivery stands; see `webhooks/`. */
export type WebhookDeliveryStatus = 'pending' | 'processed' | 'dead';

/** One webhook delivery, stored before the sender is answered (the 2xx means this row is committed). */
export interface WebhookDeliveriesTable {
  id: string;
  source: string;
  /** The sender's id for the delivery (`X-GitHub-Delivery`, `webhook-id`, Stripe's `evt_…`); unique per source. */
  delivery_id: string;
  received_at: EpochMs;
  content_type: string | null;
  /** The headers kept for processing and logs (signatures and credentials left out). */
  headers: JsonText;
  /** The raw body as UTF-8 text. */
  body: string;
  /** `verified` or `unsigned` (a source configured with `verify: none`). */
  verification: string;
  /** Sent by `POST /api/integrations/webhook/{name}/test`. */
  test: Bool;
  status: WebhookDeliveryStatus;
  /** Processing attempts so far (each claim counts, so a delivery that crashes its process ends dead). */
  attempts: number;
  next_attempt_at: EpochMs;
  /** Who holds the row (a random token per claim) and until when. */
  lease_token: string | null;
  lease_until: EpochMs | null;
  event_type: string | null;
  last_error: JsonText | null;
  processed_at: EpochMs | null;
}

/** The normalized events, in the order they were processed: the server-sent-events stream's log. */
export interface WebhookEventsTable {
  seq: Generated<number>;
  /** The delivery row the event came from: one event per delivery, whatever happens. */
  delivery_row_id: string;
  source: string;
  type: string;
  /** The normalized event's `id`. */
  event_id: string;
  occurred_at: string;
  data: JsonText;
  test: Bool;
  created_at: EpochMs;
}

export type WebhookOutboxStatus = 'pending' | 'delivered' | 'dead';

/** One event owed to one subscriber. */
export interface WebhookOutboxTable {
  id: string;
  subscriber: string;
  event_seq: number;
  /** `webhook-id` of the message: the same on every attempt and for every subscriber. */
  message_id: string;
  status: WebhookOutboxStatus;
  attempts: number;
  next_attempt_at: EpochMs;
  lease_token: string | null;
  lease_until: EpochMs | null;
  last_status: number | null;
  last_error: JsonText | null;
  created_at: EpochMs;
  delivered_at: EpochMs | null;
}

/** A webhook source set through the admin API; its secrets live in {@link SecretsTable} (`webhook/<name>`). */
export interface WebhookSourcesTable {
  name: string;
  settings: JsonText;
  updated_at: EpochMs;
  version: number;
}

/** A subscriber set through the admin API; its secrets live in {@link SecretsTable} (`webhook-subscriber/<name>`). */
export interface WebhookSubscribersTable {
  name: string;
  url: string;
  event_types: JsonText;
  enabled: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
  version: number;
}

/** A declarative HTTP operation an admin registered as a tool (see `tools/custom-tool-spec.ts`). */
export interface CustomToolsTable {
  /** The tool name, `<integration>_<operation>`. */
  name: string;
  integration: string;
  operation: string;
  /** The validated declaration (method, path template, parameter schema, mapping). */
  spec: JsonText;
  created_at: EpochMs;
  created_by: string | null;
}

/** The hub's one schema, the same on SQLite and PostgreSQL. */
export interface HubSchema {
  integration_configs: IntegrationConfigsTable;
  secrets: SecretsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  dead_letters: DeadLettersTable;
  kv: KvTable;
  approvals: ApprovalsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_events: WebhookEventsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_sources: WebhookSourcesTable;
  webhook_subscribers: WebhookSubscribersTable;
  custom_tools: CustomToolsTable;
}

export type SqlDialect = 'sqlite' | 'postgres';
