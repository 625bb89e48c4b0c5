import { AuditRepository } from './audit-repository.js';
import { ConfigRepository } from './config-repository.js';
import type { HubDatabase } from './database.js';
import { DeadLetterRepository } from './dead-letter-repository.js';
import { KvRepository } from './kv-repository.js';
import { SecretRepository } from './secret-repository.js';
import { TokenRepository } from './token-repository.js';

/** Every repository over one open database. */
export interface Repositories {
  configs: ConfigRepository;
  secrets: SecretRepository;
  tokens: TokenRepository;
  audit: AuditRepository;
  deadLetters: DeadLetterRepository;
  kv: KvRepository;
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
  };
}
