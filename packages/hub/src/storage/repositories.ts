import { ApprovalRepository } from './approval-repository.js';
import { AuditRepository } from './audit-repository.js';
import { ConfigRepository } from './config-repository.js';
import { CustomToolRepository } from './custom-tool-repository.js';
import type { HubDatabase } from './database.js';
import { DeadLetterRepository } from './dead-letter-repository.js';
import { KvRepository } from './kv-repository.js';
import { SecretRepository } from './secret-repository.js';
import { TokenRepository } from './token-repository.js';
import { WebhookConfigRepository } from './webhook-config-repository.js';
import { WebhookDeliveryRepository } from './webhook-delivery-repository.js';
import { WebhookEventRepository } from './webhook-event-repository.js';
import { WebhookOutboxRepository } from './webhook-outbox-repository.js';

/** Every repository over one open database. */
export interface Repositories {
  configs: ConfigRepository;
  secrets: SecretRepository;
  tokens: TokenRepository;
  audit: AuditRepository;
  deadLetters: DeadLetterRepository;
  kv: KvRepository;
  approvals: ApprovalRepository;
  webhookConfig: WebhookConfigRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  webhookEvents: WebhookEventRepository;
  webhookOutbox: WebhookOutboxRepository;
  customTools: CustomToolRepository;
}

/** Builds the repositories; `now` (epoch ms) is injectable for tests. */
export function createRepositories(database: HubDatabase, now: () => number = Date.now): Repositories {
  const { db } = database;
  return {
    configs: new ConfigRepository(db, now),
    secrets: new SecretRepository(db, now),
    tokens: new TokenRepository(db, now),
    audit: new AuditRepository(db, now),
    deadLetters: new DeadLetterRepository(db, now),
    kv: new KvRepository(db, now),
    approvals: new ApprovalRepository(db, now),
    webhookConfig: new WebhookConfigRepository(db, now),
    webhookDeliveries: new WebhookDeliveryRepository(db, now, database.dialect),
    webhookEvents: new WebhookEventRepository(db),
    webhookOutbox: new WebhookOutboxRepository(db, now, database.dialect),
    customTools: new CustomToolRepository(db, now),
  };
}
