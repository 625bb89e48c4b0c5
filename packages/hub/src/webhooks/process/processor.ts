import type { Logger } from '@patchbay/core';
import type { SecretCipher } from '../../secrets/index.js';
import type { ClaimedDelivery, ProcessedOutcome, WebhookDeliveryRepository } from '../../storage/index.js';
import { failureJson, webhookLetter } from '../dead-letters.js';
import { GroupCommit } from '../group-commit.js';
import type { WebhookMetrics } from '../metrics.js';
import type { SourceRegistry } from '../registry/source-registry.js';
import type { SubscriberRegistry } from '../registry/subscriber-registry.js';
import { parsePayload } from '../transform/parse-payload.js';
import { normalize } from '../transform/resolve-transform.js';
import type { CacheInvalidator, EventPublisher, NormalizedEvent } from '../types.js';
import type { Invalidation, InvalidationRules } from './invalidation.js';
import { type RetryPlan, retryDelay } from './retry-plan.js';

export interface ProcessorDeps {
  deliveries: WebhookDeliveryRepository;
  sources: SourceRegistry;
  subscribers: SubscriberRegistry;
  rules: InvalidationRules;
  cipher: SecretCipher;
  metrics: WebhookMetrics;
  plan: RetryPlan;
  publisher?: EventPublisher | undefined;
  invalidator?: CacheInvalidator | undefined;
  log?: Logger | undefined;
  /** Called after an event is committed (the event stream and the outbound worker wake up). */
  onProcessed: (seq: number, subscribers: number) => void;
  now?: () => number;
}

/** What one processing attempt did, step by step (the test route shows it). */
export interface ProcessReport {
  deliveryRowId: string;
  outcome: 'processed' | 'retry' | 'dead' | 'lease_lost';
  event?: NormalizedEvent;
  /** The event's position in the event log (its SSE id). */
  seq?: number;
  invalidations: Invalidation[];
  /** The routing key the event was published with; `null` when no bus is configured. */
  routingKey: string | null;
  subscribers: string[];
  error?: { type: string; message: string };
  /** When the next attempt is due (outcome `retry`). */
  nextAttemptAt?: number;
}

/** `webhooks.<source>.<type>`; characters a topic exchange treats specially become `_`. */
export function routingKeyFor(event: NormalizedEvent): string {
  const clean = (part: string) => part.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `webhooks.${clean(event.source)}.${clean(event.type)}`;
}

/** The outbound `webhook-id` of a delivery's event: the same for every subscriber and every attempt. */
export const messageIdFor = (deliveryRowId: string): string => `msg_${deliveryRowId.replaceAll('-', '')}`;

/**
 * Processes one claimed delivery: transform → cache invalidation → publish to the bus → commit
 * (event log, outbox rows, status) in one transaction. Side effects before the commit are
 * idempotent or at-least-once (the bus message is the same event, `id` included, if a crash makes
 * it run twice); what is stored happens exactly once, fenced by the claim's lease. A failure is
 * retried with jittered backoff; after the last attempt the delivery is dead-lettered.
 */
export class DeliveryProcessor {
  /** A claimed batch is processed concurrently; its commits share transactions. */
  private readonly completions: GroupCommit<
    { claim: ClaimedDelivery; outcome: ProcessedOutcome },
    number | undefined
  >;

  constructor(private readonly deps: ProcessorDeps) {
    this.completions = new GroupCommit(
      (items) => deps.deliveries.completeMany(items),
      (item) => deps.deliveries.complete(item.claim, item.outcome),
    );
  }

  async process(claim: ClaimedDelivery, options: { deadLetter?: boolean } = {}): Promise<ProcessReport> {
    const report: ProcessReport = {
      deliveryRowId: claim.id,
      outcome: 'processed',
      invalidations: [],
      routingKey: null,
      subscribers: [],
    };
    try {
      const source = await this.deps.sources.get(claim.source);
      if (!source) throw new Error(`webhook source ${claim.source} is no longer configured`);
      const event = normalize(source.transform, {
        source: claim.source,
        deliveryId: claim.deliveryId,
        receivedAt: claim.receivedAt,
        headers: claim.headers,
        payload: parsePayload(claim.contentType, claim.body),
      });
      report.event = event;
      report.invalidations = await this.deps.rules.apply(event, this.deps.invalidator);
      if (this.deps.publisher) {
        report.routingKey = routingKeyFor(event);
        await this.deps.publisher.publish(report.routingKey, event);
      }
      report.subscribers = await this.deps.subscribers.matching(event.source, event.type);
      const outcome: ProcessedOutcome = {
        event: {
          source: event.source,
          type: event.type,
          eventId: event.id,
          occurredAt: event.occurredAt,
          data: event.data,
        },
        messageId: messageIdFor(claim.id),
        subscribers: report.subscribers,
      };
      const seq = await this.completions.write({ claim, outcome });
      if (seq === undefined) {
        report.outcome = 'lease_lost';
        return report;
      }
      report.seq = seq;
      this.deps.metrics.processed.inc({ source: claim.source, outcome: 'processed' });
      this.deps.onProcessed(seq, report.subscribers.length);
      return report;
    } catch (error) {
      return this.fail(claim, error, report, options.deadLetter ?? true);
    }
  }

  private async fail(
    claim: ClaimedDelivery,
    error: unknown,
    report: ProcessReport,
    deadLetter: boolean,
  ): Promise<ProcessReport> {
    const { deliveries, plan, metrics, cipher, log } = this.deps;
    const failure = failureJson(error);
    report.error = failure;
    log?.warn(
      { source: claim.source, deliveryId: claim.deliveryId, attempt: claim.attempts, error: failure },
      'webhook processing failed',
    );
    if (claim.attempts < plan.maxAttempts && deadLetter) {
      const next = (this.deps.now ?? Date.now)() + retryDelay(plan, claim.attempts);
      report.outcome = (await deliveries.retryLater(claim, failure, next)) ? 'retry' : 'lease_lost';
      report.nextAttemptAt = next;
      metrics.processed.inc({ source: claim.source, outcome: 'retry' });
      return report;
    }
    const letter = deadLetter
      ? webhookLetter(
          cipher,
          { kind: 'process', deliveryRowId: claim.id, source: claim.source, deliveryId: claim.deliveryId },
          failure,
          claim.attempts,
        )
      : undefined;
    report.outcome = (await deliveries.bury(claim, failure, letter)) ? 'dead' : 'lease_lost';
    metrics.processed.inc({ source: claim.source, outcome: 'dead' });
    return report;
  }
}
