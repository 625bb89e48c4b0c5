import type { Logger } from '@patchbay/core';
import type { SecretCipher } from '../../secrets/index.js';
import type {
  ClaimedOutboxEntry,
  StoredWebhookEvent,
  WebhookEventRepository,
  WebhookOutboxRepository,
} from '../../storage/index.js';
import { webhookLetter } from '../dead-letters.js';
import type { WebhookMetrics } from '../metrics.js';
import { type RetryPlan, retryDelay } from '../process/retry-plan.js';
import type { SubscriberRegistry } from '../registry/subscriber-registry.js';
import type { OutboundSender, SendResult } from './outbound-sender.js';

export interface OutboxDispatcherDeps {
  outbox: WebhookOutboxRepository;
  events: WebhookEventRepository;
  subscribers: SubscriberRegistry;
  sender: OutboundSender;
  cipher: SecretCipher;
  metrics: WebhookMetrics;
  plan: RetryPlan;
  log?: Logger | undefined;
  now?: () => number;
}

/** A claimed outbox entry with the event it carries. */
export interface OutboxWork {
  claim: ClaimedOutboxEntry;
  event: StoredWebhookEvent | undefined;
}

export type DispatchOutcome = 'delivered' | 'retry' | 'dead' | 'lease_lost';

/**
 * The body subscribers receive: Standard Webhooks' recommended `{ type, timestamp, data }`, the type
 * qualified by its source (`github.push`), with the normalized event's `id` and `source`.
 */
export function outboundBody(event: StoredWebhookEvent): string {
  return JSON.stringify({
    type: `${event.source}.${event.type}`,
    timestamp: event.occurredAt,
    id: event.eventId,
    source: event.source,
    data: event.data,
  });
}

/**
 * Delivers outbox entries: signs and POSTs each (one attempt), marks it delivered on a 2xx, else
 * schedules the next attempt with jittered backoff, and after the last attempt marks it dead and
 * adds its dead letter (one transaction). Entries of a deleted subscriber end dead, unsent.
 */
export class OutboxDispatcher {
  constructor(private readonly deps: OutboxDispatcherDeps) {}

  /** Claims due entries and loads their events in one query. */
  async claim(limit: number, leaseMs: number): Promise<OutboxWork[]> {
    const claims = await this.deps.outbox.claimDue(limit, leaseMs);
    return this.withEvents(claims);
  }

  async withEvents(claims: readonly ClaimedOutboxEntry[]): Promise<OutboxWork[]> {
    const events = new Map(
      (await this.deps.events.bySeq(claims.map((c) => c.eventSeq))).map((event) => [event.seq, event]),
    );
    return claims.map((claim) => ({ claim, event: events.get(claim.eventSeq) }));
  }

  async dispatch(
    { claim, event }: OutboxWork,
    options: { deadLetter?: boolean } = {},
  ): Promise<DispatchOutcome> {
    const subscriber = await this.deps.subscribers.get(claim.subscriber);
    let result: SendResult;
    if (!event) {
      result = {
        ok: false,
        status: null,
        error: { type: 'MissingEvent', message: `event ${claim.eventSeq} is gone` },
      };
    } else if (!subscriber) {
      await this.deps.outbox.bury(claim, {
        status: null,
        error: { type: 'SubscriberRemoved', message: `subscriber ${claim.subscriber} was removed` },
      });
      return 'dead';
    } else if (!subscriber.enabled) {
      result = {
        ok: false,
        status: null,
        error: { type: 'SubscriberDisabled', message: 'subscriber is disabled' },
      };
    } else {
      result = await this.deps.sender.send({
        url: subscriber.url,
        messageId: claim.messageId,
        secrets: subscriber.secrets,
        body: outboundBody(event),
      });
    }
    return this.finish(claim, result, options.deadLetter ?? true);
  }

  private async finish(
    claim: ClaimedOutboxEntry,
    result: SendResult,
    deadLetter: boolean,
  ): Promise<DispatchOutcome> {
    const { outbox, metrics, plan, cipher, log } = this.deps;
    if (result.ok) {
      metrics.outbound.inc({ subscriber: claim.subscriber, outcome: 'delivered' });
      return (await outbox.delivered(claim, result.status)) ? 'delivered' : 'lease_lost';
    }
    const failure = { status: result.status, error: result.error };
    log?.warn(
      { subscriber: claim.subscriber, messageId: claim.messageId, attempt: claim.attempts, ...failure },
      'webhook delivery to subscriber failed',
    );
    if (claim.attempts < plan.maxAttempts && deadLetter) {
      metrics.outbound.inc({ subscriber: claim.subscriber, outcome: 'retry' });
      const next = (this.deps.now ?? Date.now)() + retryDelay(plan, claim.attempts);
      return (await outbox.retryLater(claim, failure, next)) ? 'retry' : 'lease_lost';
    }
    metrics.outbound.inc({ subscriber: claim.subscriber, outcome: 'dead' });
    const letter = deadLetter
      ? webhookLetter(
          cipher,
          { kind: 'deliver', outboxId: claim.id, subscriber: claim.subscriber, messageId: claim.messageId },
          { ...result.error, ...(result.status === null ? {} : { status: result.status }) },
          claim.attempts,
        )
      : undefined;
    return (await outbox.bury(claim, failure, letter)) ? 'dead' : 'lease_lost';
  }
}
