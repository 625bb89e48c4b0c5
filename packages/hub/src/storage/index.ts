export {
  type ApprovalDecision,
  type ApprovalPage,
  type ApprovalQuery,
  type ApprovalRecord,
  ApprovalRepository,
  type ApprovalState,
  type NewApproval,
} from './approval-repository.js';
export { type ChainHead, chainHash, GENESIS_HASH } from './audit-chain.js';
export {
  type AuditEntry,
  type AuditPage,
  type AuditQuery,
  type AuditRecord,
  AuditRepository,
  type ChainVerification,
} from './audit-repository.js';
export { AuditWriter, type AuditWriterOptions, type AuditWriterStats } from './audit-writer.js';
export {
  type ConfigRecord,
  ConfigRepository,
  type ConfigWrite,
  type UpsertOptions,
} from './config-repository.js';
export { type CustomToolRecord, CustomToolRepository, type NewCustomTool } from './custom-tool-repository.js';
export { type HubDatabase, type OpenDatabaseOptions, openDatabase } from './database.js';
export {
  type DeadLetter,
  type DeadLetterPage,
  type DeadLetterQuery,
  DeadLetterRepository,
  type DeadLetterRewrap,
  type NewDeadLetter,
} from './dead-letter-repository.js';
export { isVersionConflict, VersionConflictError } from './errors.js';
export { KvRepository } from './kv-repository.js';
export { hubMigrations, migrateToLatest } from './migrations.js';
export { createRepositories, type Repositories } from './repositories.js';
export type {
  ApprovalStatus,
  DeadLetterStatus,
  HubSchema,
  SqlDialect,
  WebhookDeliveryStatus,
  WebhookOutboxStatus,
} from './schema.js';
export { type SecretRecord, SecretRepository, type SecretRewrap } from './secret-repository.js';
export { type NewToken, type TokenRecord, TokenRepository } from './token-repository.js';
export {
  type SealedSecret,
  type SecretWrite,
  type StoredWebhookSource,
  type StoredWebhookSubscriber,
  sourceSecretOwner,
  subscriberSecretOwner,
  WEBHOOK_SECRET_FIELD,
  WebhookConfigRepository,
} from './webhook-config-repository.js';
export {
  type ClaimedDelivery,
  type NewWebhookDelivery,
  type ProcessedOutcome,
  type ReceiveResult,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookDeliveryQuery,
  WebhookDeliveryRepository,
} from './webhook-delivery-repository.js';
export { type StoredWebhookEvent, WebhookEventRepository } from './webhook-event-repository.js';
export {
  type ClaimedOutboxEntry,
  type OutboxEntry,
  type OutboxPage,
  WebhookOutboxRepository,
} from './webhook-outbox-repository.js';
