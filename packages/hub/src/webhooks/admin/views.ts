import { redactInput } from '../../server/redact-input.js';
import type { OutboxEntry, WebhookDelivery } from '../../storage/index.js';
import type { ResolvedSource } from '../registry/source-registry.js';
import type { ResolvedSubscriber } from '../registry/subscriber-registry.js';
import { parsePayload } from '../transform/parse-payload.js';

/** A source as the API shows it: settings without secrets, how many secrets are set, where it came from. */
export function sourceView(source: ResolvedSource) {
  const { secrets: _hidden, ...settings } = source.settings;
  return {
    name: source.name,
    origin: source.origin,
    receiveUrl:
      source.name === 'slack'
        ? '/api/integrations/slack/webhook'
        : `/api/integrations/webhook/${source.name}`,
    ...settings,
    secrets: source.secrets.map(() => '***'),
  };
}

/** A subscriber as the API shows it: never its secrets, only how many are signing. */
export function subscriberView(subscriber: ResolvedSubscriber) {
  return {
    name: subscriber.name,
    url: subscriber.url,
    eventTypes: subscriber.eventTypes,
    enabled: subscriber.enabled,
    origin: subscriber.origin,
    secrets: subscriber.secrets.map(() => '***'),
  };
}

const MAX_PAYLOAD_CHARS = 4000;

/**
 * A delivery as the logs show it: status, verification result, processing outcome, and the
 * payload with secret-looking fields (`token`, `password`, `api_key`, …) replaced by `***` and
 * long values cut.
 */
export function deliveryView(delivery: WebhookDelivery) {
  const redacted = redactInput(parsePayload(delivery.contentType, delivery.body));
  const text = JSON.stringify(redacted) ?? 'null';
  return {
    id: delivery.id,
    deliveryId: delivery.deliveryId,
    receivedAt: delivery.receivedAt,
    status: delivery.status,
    verification: delivery.verification,
    attempts: delivery.attempts,
    ...(delivery.status === 'pending' ? { nextAttemptAt: delivery.nextAttemptAt } : {}),
    processedAt: delivery.processedAt,
    eventType: delivery.eventType,
    error: delivery.lastError,
    test: delivery.test,
    headers: redactInput(delivery.headers),
    payload: text.length > MAX_PAYLOAD_CHARS ? `${text.slice(0, MAX_PAYLOAD_CHARS)}…` : redacted,
  };
}

export function outboxView(entry: OutboxEntry) {
  return {
    id: entry.id,
    messageId: entry.messageId,
    eventSeq: entry.eventSeq,
    status: entry.status,
    attempts: entry.attempts,
    ...(entry.status === 'pending' ? { nextAttemptAt: entry.nextAttemptAt } : {}),
    lastStatus: entry.lastStatus,
    lastError: entry.lastError,
    createdAt: entry.createdAt,
    deliveredAt: entry.deliveredAt,
  };
}
