import {
  type EgressOptions,
  type IntegrationDefinition,
  type Logger,
  MemoryStore,
  RedisStore,
  type StateStore,
} from '@patchbay/core';
import { ConfigError, type HubConfig, integrationConfigIssues } from '../config/index.js';
import { OperationInvoker } from '../operations/operation-invoker.js';
import { createSecretCipher, type SecretCipher } from '../secrets/index.js';
import { IntegrationHost } from '../server/integration-host.js';
import {
  AuditWriter,
  createRepositories,
  type HubDatabase,
  type OpenDatabaseOptions,
  openDatabase,
  type Repositories,
} from '../storage/index.js';
import { ToolCatalog } from '../tools/tool-catalog.js';
import {
  createWebhooks,
  type EventPublisher,
  integrationHostInvalidator,
  replayWebhookDeadLetter,
  slackSigningSecretFrom,
  WEBHOOK_DLQ_INTEGRATION,
  type WebhookRuntime,
} from '../webhooks/index.js';

export interface OpenHubCoreOptions {
  config: HubConfig;
  integrations: readonly IntegrationDefinition[];
  storage?: Pick<OpenDatabaseOptions, 'schema' | 'poolSize' | 'file'>;
  egress?: EgressOptions;
  /** @default a RedisStore when `config.redisUrl`, else in memory */
  store?: StateStore;
  /** @default 50 */
  auditFlushIntervalMs?: number;
  logger?: Logger;
  /** Where processed webhook events are published (the RabbitMQ bus); none without one. */
  webhookPublisher?: EventPublisher;
}

/** Everything of a hub but its HTTP server: what the server, the CLI and the bus share. */
export interface HubCore {
  readonly config: HubConfig;
  readonly database: HubDatabase;
  readonly repositories: Repositories;
  readonly cipher: SecretCipher;
  readonly store: StateStore;
  readonly integrations: IntegrationHost;
  readonly audit: AuditWriter;
  readonly invoker: OperationInvoker;
  /** Every operation as a tool, its JSON schemas converted once for all edges. */
  readonly catalog: ToolCatalog;
  /** The webhook side: receivers, processing and delivery workers (started by the server). */
  readonly webhooks: WebhookRuntime;
  /** Flushes the audit log, closes the integrations, the store (if it opened it) and storage. */
  close(): Promise<void>;
}

/**
 * Opens the hub's state: checks the integrations' config, the secret cipher (a missing or wrong
 * key stops here), storage (migrated), the shared state store, every integration built from its
 * config (stored > env > file), the audit writer and the operation invoker.
 */
export async function openHubCore(options: OpenHubCoreOptions): Promise<HubCore> {
  const { config } = options;
  const configIssues = integrationConfigIssues(config, options.integrations);
  if (configIssues.length > 0) throw new ConfigError(configIssues);
  const cipher = createSecretCipher({
    ...(config.masterKey ? { masterKey: config.masterKey } : {}),
    dataDir: config.dataDir,
  });
  const database = await openDatabase({
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    ...options.storage,
  });
  const ownStore = options.store === undefined;
  const store: StateStore =
    options.store ?? (config.redisUrl ? new RedisStore({ url: config.redisUrl }) : new MemoryStore());
  const log = options.logger;
  try {
    const repositories = createRepositories(database);
    const audit = new AuditWriter(repositories.audit, {
      flushIntervalMs: options.auditFlushIntervalMs ?? 50,
      onError: (error) => log?.error({ err: error }, 'audit batch write failed; rows kept for retry'),
    });
    const integrations = new IntegrationHost({
      config,
      definitions: options.integrations,
      repositories,
      cipher,
      store,
      ...(log ? { logger: log } : {}),
      ...(options.egress ? { egress: options.egress } : {}),
    });
    await integrations.loadAll();
    const catalog = new ToolCatalog();
    const invoker = new OperationInvoker({
      catalog,
      host: integrations,
      repositories,
      cipher,
      audit,
      ...(log ? { log } : {}),
    });
    const webhooks = createWebhooks({
      repositories,
      cipher,
      config: config.webhooks,
      publisher: options.webhookPublisher,
      invalidator: integrationHostInvalidator(integrations),
      slackSigningSecret: slackSigningSecretFrom(integrations),
      egress: options.egress,
      store,
      log,
    });
    // Dead letters of webhook deliveries are replayed by the webhook side, through the same route.
    invoker.replayLettersOf(WEBHOOK_DLQ_INTEGRATION, (letter) => replayWebhookDeadLetter(webhooks, letter));
    let closed: Promise<void> | undefined;
    return {
      config,
      database,
      repositories,
      cipher,
      store,
      integrations,
      audit,
      invoker,
      catalog,
      webhooks,
      close() {
        closed ??= (async () => {
          await webhooks.close();
          await integrations.close();
          await audit.close().catch((error) => log?.error({ err: error }, 'audit rows lost at close'));
          if (ownStore) await store.close().catch(() => undefined);
          await database.close();
        })();
        return closed;
      },
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    if (ownStore) await store.close().catch(() => undefined);
    throw error;
  }
}
