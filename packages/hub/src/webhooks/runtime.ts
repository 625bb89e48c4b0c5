import type { CircuitBreakerConfig, EgressOptions, Logger, StateStore } from '@patchbay/core';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ConfigError } from '../config/index.js';
import type { SecretCipher } from '../secrets/index.js';
import type { ClaimedDelivery, Repositories } from '../storage/index.js';
import { registerAdminRoutes } from './admin/admin-routes.js';
import { registerEventRoutes } from './admin/event-routes.js';
import {
  TRANSACTION_STATUS_RULE,
  type WebhooksSection,
  WebhooksSectionSchema,
} from './config/webhook-settings.js';
import { OutboundSender } from './deliver/outbound-sender.js';
import type { OutboxWork } from './deliver/outbox-dispatcher.js';
import { OutboxDispatcher } from './deliver/outbox-dispatcher.js';
import { EventFeed } from './events/event-feed.js';
import type { SseStream } from './events/sse-stream.js';
import { type WebhookMetrics, webhookMetrics } from './metrics.js';
import { InvalidationRules } from './process/invalidation.js';
import { LeaseWorker } from './process/lease-worker.js';
import { DeliveryProcessor, type ProcessReport } from './process/processor.js';
import { DELIVERY_RETRY, PROCESSING_RETRY, type RetryPlan } from './process/retry-plan.js';
import { WebhookReceiver } from './receive/receiver.js';
import { registerReceiverRoutes } from './receive/receiver-routes.js';
import { Rejections } from './receive/rejections.js';
import { SourceRegistry } from './registry/source-registry.js';
import { SubscriberRegistry } from './registry/subscriber-registry.js';
import type { WebhookTransform } from './transform/transforms.js';
import type { CacheInvalidator, EventPublisher } from './types.js';

/** Timing knobs; the defaults suit production, tests shorten them. */
export interface WebhookTimings {
  /** Idle workers look for due rows this often (rows stored by other processes). @default 250 */
  pollMs?: number;
  /** Rows a worker claims at once. @default 32 */
  batchSize?: number;
  /** How long a claim is held before another worker may take the row over. @default 60000 */
  leaseMs?: number;
  /** How long sources and subscribers are cached per process. @default 5000 */
  refreshMs?: number;
  /** How often the event stream reads the log while someone listens. @default 500 */
  feedPollMs?: number;
  /** SSE keep-alive comment interval. @default 15000 */
  heartbeatMs?: number;
}

export interface WebhookRuntimeOptions {
  repositories: Repositories;
  cipher: SecretCipher;
  /** The config file's `webhooks:` section, validated by `loadWebhooksConfig`. @default empty */
  config?: WebhooksSection | undefined;
  /** Fan-out to the bus (RabbitMQ `events.exchange`); without it events go to SSE and subscribers only. */
  publisher?: EventPublisher | undefined;
  /** Drops cached reads (the hub's integrations); see `integrationHostInvalidator`. */
  invalidator?: CacheInvalidator | undefined;
  /** TS transformations a source may name as its `transform`. */
  transforms?: Readonly<Record<string, WebhookTransform>> | undefined;
  /** The Slack integration's signing secret; serves `POST /api/integrations/slack/webhook` without a `slack` source. */
  slackSigningSecret?: (() => string | undefined) | undefined;
  /** Egress policy for subscriber URLs. @default {} (public addresses only) */
  egress?: EgressOptions | undefined;
  /** Shared breaker state for outbound destinations (Redis in production). */
  store?: StateStore | undefined;
  circuitBreaker?: CircuitBreakerConfig | undefined;
  log?: Logger | undefined;
  /** @default prom-client's global registry (what `/metrics` serves) */
  metricsRegistry?: Registry | undefined;
  timings?: WebhookTimings | undefined;
}

function plan(defaults: RetryPlan, configured: Partial<RetryPlan>): RetryPlan {
  return {
    ...defaults,
    ...Object.fromEntries(Object.entries(configured).filter(([, v]) => v !== undefined)),
  };
}

/**
 * The hub's webhook side, in and out: receivers, processing and delivery workers, the event stream
 * and the admin routes. Build it with {@link createWebhooks}, `register(app)` before the app
 * listens, `start()` the workers, `close()` before storage closes.
 */
export class WebhookRuntime {
  readonly config: WebhooksSection;
  readonly metrics: WebhookMetrics;
  readonly sources: SourceRegistry;
  readonly subscribers: SubscriberRegistry;
  readonly rejections: Rejections;
  readonly receiver: WebhookReceiver;
  readonly processor: DeliveryProcessor;
  readonly dispatcher: OutboxDispatcher;
  readonly feed: EventFeed;
  readonly streams = new Set<SseStream>();
  readonly timings: Required<WebhookTimings>;
  private readonly sender: OutboundSender;
  private readonly processing: LeaseWorker<ClaimedDelivery>;
  private readonly delivering: LeaseWorker<OutboxWork>;
  private started = false;

  constructor(readonly options: WebhookRuntimeOptions) {
    const { repositories, cipher, log } = options;
    this.config = options.config ?? WebhooksSectionSchema.parse({});
    this.timings = {
      pollMs: 250,
      batchSize: 32,
      leaseMs: 60_000,
      refreshMs: 5_000,
      feedPollMs: 500,
      heartbeatMs: 15_000,
      ...options.timings,
    };
    this.metrics = webhookMetrics(options.metricsRegistry);
    this.rejections = new Rejections(this.metrics, log);
    try {
      this.sources = new SourceRegistry({
        file: this.config.sources,
        repository: repositories.webhookConfig,
        cipher,
        transforms: options.transforms ?? {},
        slackSigningSecret: options.slackSigningSecret,
        refreshMs: this.timings.refreshMs,
        log,
      });
    } catch (error) {
      throw new ConfigError([{ name: 'webhooks.sources', message: (error as Error).message }]);
    }
    this.subscribers = new SubscriberRegistry({
      file: this.config.subscribers,
      repository: repositories.webhookConfig,
      cipher,
      refreshMs: this.timings.refreshMs,
      log,
    });
    this.feed = new EventFeed({ events: repositories.webhookEvents, pollMs: this.timings.feedPollMs, log });
    this.receiver = new WebhookReceiver({
      sources: this.sources,
      deliveries: repositories.webhookDeliveries,
      rejections: this.rejections,
      metrics: this.metrics,
      maxBodyBytes: this.config.maxBodyBytes,
      onStored: () => this.processing.wake(),
    });
    const deliveryPlan = plan(DELIVERY_RETRY, this.config.delivery);
    this.sender = new OutboundSender({
      egress: options.egress,
      store: options.store,
      timeoutMs: this.config.delivery.timeoutMs,
      circuitBreaker: options.circuitBreaker,
      log,
    });
    this.processor = new DeliveryProcessor({
      deliveries: repositories.webhookDeliveries,
      sources: this.sources,
      subscribers: this.subscribers,
      rules: new InvalidationRules(this.config.invalidations ?? [TRANSACTION_STATUS_RULE]),
      cipher,
      metrics: this.metrics,
      plan: plan(PROCESSING_RETRY, this.config.processing),
      publisher: options.publisher,
      invalidator: options.invalidator,
      log,
      onProcessed: (_seq, subscribers) => {
        this.feed.wake();
        if (subscribers > 0) this.delivering.wake();
      },
    });
    this.dispatcher = new OutboxDispatcher({
      outbox: repositories.webhookOutbox,
      events: repositories.webhookEvents,
      subscribers: this.subscribers,
      sender: this.sender,
      cipher,
      metrics: this.metrics,
      plan: deliveryPlan,
      log,
    });
    const { batchSize, pollMs, leaseMs } = this.timings;
    this.processing = new LeaseWorker({
      name: 'webhook-processing',
      claim: (limit) => repositories.webhookDeliveries.claimDue(limit, leaseMs),
      handle: (claim) => this.processor.process(claim),
      batchSize,
      pollMs,
      log,
    });
    this.delivering = new LeaseWorker({
      name: 'webhook-delivery',
      claim: (limit) => this.dispatcher.claim(limit, leaseMs),
      handle: (work) => this.dispatcher.dispatch(work),
      batchSize,
      pollMs,
      log,
    });
  }

  /** Adds the receivers (public), the admin routes, `GET /api/events`, and closes open streams on close. */
  async register(app: FastifyInstance): Promise<void> {
    await registerReceiverRoutes(app, {
      receiver: this.receiver,
      rejections: this.rejections,
      maxBodyBytes: this.config.maxBodyBytes,
    });
    registerAdminRoutes(app, this);
    registerEventRoutes(app, this);
    // Open event streams would keep `app.close()` waiting for ever.
    app.addHook('preClose', (done) => {
      for (const stream of this.streams) stream.end();
      done();
    });
  }

  /** Starts the processing and delivery workers. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.processing.start();
    this.delivering.start();
  }

  /** Processes one delivery now (the test route, a replay); `undefined` when another worker holds it or it is done. */
  async processNow(
    deliveryRowId: string,
    options: { deadLetter?: boolean } = {},
  ): Promise<ProcessReport | undefined> {
    const claim = await this.options.repositories.webhookDeliveries.claimById(
      deliveryRowId,
      this.timings.leaseMs,
    );
    return claim && this.processor.process(claim, options);
  }

  /** Stops the workers (finishing the rows in hand), ends the event streams, closes outbound pools. */
  async close(): Promise<void> {
    for (const stream of this.streams) stream.end();
    await Promise.all([this.processing.stop(), this.delivering.stop()]);
    await this.feed.close();
    await this.sender.close();
  }
}

/**
 * Builds the webhook runtime. Sources from the config file are checked here (an unknown
 * transformation or a missing secret throws a ConfigError naming the source).
 * @example
 * const webhooks = createWebhooks({ repositories: hub.repositories, cipher: hub.cipher, config, publisher });
 * await webhooks.register(hub.app);
 * webhooks.start();
 */
export function createWebhooks(options: WebhookRuntimeOptions): WebhookRuntime {
  return new WebhookRuntime(options);
}
