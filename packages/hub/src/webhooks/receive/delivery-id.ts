import { createHash } from 'node:crypto';
import type { SourceSettings } from '../config/webhook-settings.js';
import { readPointer } from '../transform/json-pointer.js';

const MAX_ID_LENGTH = 200;

function usable(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && text.length > 0 && text.length <= MAX_ID_LENGTH ? text : undefined;
}

/**
 * The sender's id for a delivery, the key that deduplicates it: the source's configured header or
 * pointer when set; else GitHub's `X-GitHub-Delivery`, Standard Webhooks' `webhook-id`, Stripe's
 * event `id`, Slack's `event_id`; else a SHA-256 of the body (an identical body is a retry).
 * `undefined` when the scheme promises an id and the delivery has none.
 */
export function deliveryIdOf(
  settings: SourceSettings,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: Buffer,
  payload: () => unknown,
): string | undefined {
  const header = (name: string) => {
    const value = headers[name.toLowerCase()];
    return usable(Array.isArray(value) ? undefined : value);
  };
  if (settings.deliveryId?.header) return header(settings.deliveryId.header);
  if (settings.deliveryId?.pointer) return usable(readPointer(payload(), settings.deliveryId.pointer));
  switch (settings.verify) {
    case 'github':
      return header('x-github-delivery');
    case 'standard':
      return header('webhook-id');
    case 'stripe':
      return usable(readPointer(payload(), '/id'));
    case 'slack': {
      const eventId = usable(readPointer(payload(), '/event_id'));
      if (eventId) return eventId;
      break;
    }
    default:
      break;
  }
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
