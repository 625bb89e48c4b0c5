/**
 * What every transformation produces from a delivery, whatever its source: the shape published
 * to the bus, streamed to `GET /api/events` and delivered to subscribers.
 */
export interface NormalizedEvent {
  /** The source's name, as in `/api/integrations/webhook/{name}`. */
  source: string;
  /** The event's type within its source, e.g. `pull_request.opened`, `transaction.updated`. */
  type: string;
  /** The sender's id for the event (unique within the source): delivery GUID, `evt_…`, `webhook-id`. */
  id: string;
  /** ISO-8601; when the sender says the event happened, else when it was received. */
  occurredAt: string;
  data: unknown;
}

/**
 * Where normalized events go besides the hub's own stream: the lead connects it to RabbitMQ
 * (`events.exchange`, routing key `webhooks.<source>.<type>`). A rejection is a processing
 * failure: the delivery is retried with backoff, then dead-lettered.
 */
export interface EventPublisher {
  publish(routingKey: string, event: NormalizedEvent): Promise<void>;
}

/** Drops cached reads of an integration (seed 004: a transaction update drops its cached status). */
export interface CacheInvalidator {
  /** Resolves to the number of cache entries dropped. */
  invalidate(integration: string, operation: string, input: Record<string, unknown>): Promise<number>;
}
