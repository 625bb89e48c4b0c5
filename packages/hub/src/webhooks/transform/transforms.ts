import type { BuiltinTransform, Mapping } from '../config/webhook-settings.js';
import { readPointer } from './json-pointer.js';

/** What a transformation sees of a delivery. */
export interface TransformInput {
  source: string;
  /** The sender's delivery id (the default event id). */
  deliveryId: string;
  /** Epoch ms. */
  receivedAt: number;
  /** Lower-case names; signatures and credentials are not kept. */
  headers: Readonly<Record<string, string>>;
  /** The parsed body (see `parsePayload`). */
  payload: unknown;
}

/** What a transformation returns; `id` and `occurredAt` default to the delivery id and time of receipt. */
export interface TransformOutput {
  type: string;
  id?: string | undefined;
  occurredAt?: string | undefined;
  data: unknown;
}

/**
 * A TS transformation: a plain function of the delivery, so it can be typed, tested and profiled
 * like any other code. Throwing fails the attempt (retried with backoff, then dead-lettered).
 * @example
 * const orders: WebhookTransform = ({ payload }) => ({ type: `order.${(payload as Order).status}`, data: payload });
 */
export type WebhookTransform = (input: TransformInput) => TransformOutput;

/** A transformation refused the payload: it does not have the shape the source promised. */
export class TransformError extends Error {
  override get name(): string {
    return 'TransformError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Unix seconds (number or numeric string, fractions allowed) or an ISO string, as ISO-8601. */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))
    return new Date(Number(value) * 1000).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

function withoutToken(value: Record<string, unknown>): Record<string, unknown> {
  // Slack's deprecated verification token: a credential, never worth keeping in an event.
  const { token: _token, ...rest } = value;
  return rest;
}

/** GitHub: `X-GitHub-Event` (and the payload's `action`) name the type; the delivery GUID is the id. */
const github: WebhookTransform = ({ headers, payload }) => {
  const event = headers['x-github-event'];
  if (!event) throw new TransformError('GitHub delivery without X-GitHub-Event');
  const action = isObject(payload) ? text(payload.action) : undefined;
  return { type: action ? `${event}.${action}` : event, data: payload };
};

/**
 * Slack: Events API callbacks become their inner event's type (`app_mention`, `message`) with the
 * `event_id` as id; interactive payloads become `interaction.<type>` (`block_actions`,
 * `view_submission`, …); slash commands `command`. The verification token is dropped.
 */
const slack: WebhookTransform = ({ payload }) => {
  if (!isObject(payload)) throw new TransformError('Slack delivery is not an object');
  if (payload.type === 'event_callback') {
    const event = isObject(payload.event) ? payload.event : {};
    return {
      type: text(event.type) ?? 'event_callback',
      id: text(payload.event_id),
      occurredAt: toIsoTime(payload.event_time),
      data: withoutToken(payload),
    };
  }
  if (isObject(payload.payload)) {
    const interaction = payload.payload;
    return {
      type: `interaction.${text(interaction.type) ?? 'unknown'}`,
      occurredAt: toIsoTime(interaction.action_ts),
      data: withoutToken(interaction),
    };
  }
  if (typeof payload.command === 'string') return { type: 'command', data: withoutToken(payload) };
  return { type: text(payload.type) ?? 'unknown', data: withoutToken(payload) };
};

/** Stripe-style events: `{ id: 'evt_…', type, created, data }`. */
const stripe: WebhookTransform = ({ payload }) => {
  if (!isObject(payload) || !text(payload.type)) throw new TransformError('Stripe event without a type');
  return {
    type: text(payload.type) as string,
    id: text(payload.id),
    occurredAt: toIsoTime(payload.created),
    data: payload.data,
  };
};

/** Standard Webhooks' recommended payload `{ type, timestamp, data }`; the `webhook-id` is the id. */
const standard: WebhookTransform = ({ payload }) => {
  if (!isObject(payload) || !text(payload.type))
    throw new TransformError('Standard Webhooks payload without a type');
  return {
    type: text(payload.type) as string,
    occurredAt: toIsoTime(payload.timestamp),
    data: 'data' in payload ? payload.data : payload,
  };
};

/**
 * Seed 004's payments system: `{ event | type: 'transaction.updated', transaction_id, status, … }`.
 * The whole payload is the data, so the invalidation rule finds `transaction_id` in it.
 */
const transactions: WebhookTransform = ({ payload }) => {
  if (!isObject(payload)) throw new TransformError('transaction event is not an object');
  return {
    type: text(payload.type) ?? text(payload.event) ?? 'transaction.updated',
    id: text(payload.event_id) ?? text(payload.id),
    occurredAt: toIsoTime(payload.updated_at ?? payload.occurred_at),
    data: payload,
  };
};

/** Anything else: the type from the source's `typeHeader`, else `received`; the payload as is. */
function raw(typeHeader: string | undefined): WebhookTransform {
  return ({ headers, payload }) => ({
    type: (typeHeader && headers[typeHeader.toLowerCase()]) || 'received',
    data: payload,
  });
}

/** A mapping of JSON Pointers, for sources configured through the API or the config file. */
export function mappingTransform(mapping: Mapping): WebhookTransform {
  return ({ payload }) => {
    const type = mapping.typeValue ?? text(readPointer(payload, mapping.type ?? ''));
    if (!type) throw new TransformError(`no event type at ${mapping.type}`);
    return {
      type,
      id: mapping.id ? text(readPointer(payload, mapping.id)) : undefined,
      occurredAt: mapping.occurredAt ? toIsoTime(readPointer(payload, mapping.occurredAt)) : undefined,
      data: mapping.data === undefined ? payload : readPointer(payload, mapping.data),
    };
  };
}

/** The built-in transformation by name (`raw` reads the type from `typeHeader`). */
export function builtinTransform(name: BuiltinTransform, typeHeader?: string): WebhookTransform {
  switch (name) {
    case 'github':
      return github;
    case 'slack':
      return slack;
    case 'stripe':
      return stripe;
    case 'standard':
      return standard;
    case 'transactions':
      return transactions;
    case 'raw':
      return raw(typeHeader);
  }
}
