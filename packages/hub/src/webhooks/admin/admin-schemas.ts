import { z } from 'zod';
import {
  EventTypePatterns,
  SourceSettingsSchema,
  SubscriberSecret,
  SubscriberUrl,
} from '../config/webhook-settings.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * `PUT /api/webhooks/sources/{source}`: a source's settings. `secrets` are write-only; leaving
 * them out of an update keeps the stored ones.
 */
export const SourceBody = SourceSettingsSchema;

/**
 * `PUT /api/webhooks/subscribers/{subscriber}`. A new subscriber without `secrets` gets one
 * generated (`whsec_…`), shown once in the answer; an update without them keeps the stored ones.
 */
export const SubscriberBody = z.strictObject({
  url: SubscriberUrl,
  /** Patterns matched against `<source>.<type>`; `*` matches anything. @default ['*'] */
  eventTypes: EventTypePatterns.optional(),
  secrets: z.array(SubscriberSecret).min(1).max(2).optional(),
  enabled: z.boolean().optional(),
});

/** `GET /api/integrations/webhook/{name}/logs` */
export const LogsQuery = z.strictObject({
  status: z.enum(['pending', 'processed', 'dead']).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}:.+$/, 'must be the nextCursor of a previous page')
    .optional(),
  limit: int(1, 200).optional(),
});

/** `GET /api/webhooks/subscribers/{subscriber}/deliveries` */
export const OutboxQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^\d{1,15}:.+$/, 'must be the nextCursor of a previous page')
    .optional(),
  limit: int(1, 200).optional(),
});

/** `POST /api/integrations/webhook/{name}/test`: an optional payload instead of the source's sample. */
export const TestBody = z
  .strictObject({
    /** Sent (signed) instead of the built-in sample for the source's transformation. */
    payload: z.record(z.string(), z.unknown()).optional(),
  })
  .optional();

/** `GET /api/events` (server-sent events). */
export const EventsQuery = z.strictObject({
  /** Comma-separated source names. */
  source: z.string().min(1).max(500).optional(),
  /** Comma-separated type patterns (`*` wildcard), e.g. `transaction.*`. */
  type: z.string().min(1).max(500).optional(),
  /** Resume after this event id, for clients that cannot send the Last-Event-ID header. */
  lastEventId: int(0, Number.MAX_SAFE_INTEGER).optional(),
});

/** Every admin route with its scope and schemas, for the hub's OpenAPI document. */
export const WEBHOOK_ADMIN_ROUTES = [
  { method: 'GET', path: '/api/webhooks/sources', scope: 'viewer', summary: 'List webhook sources' },
  {
    method: 'GET',
    path: '/api/webhooks/sources/{source}',
    scope: 'viewer',
    summary: 'Show a webhook source',
  },
  {
    method: 'PUT',
    path: '/api/webhooks/sources/{source}',
    scope: 'admin',
    summary: 'Create or replace a webhook source',
    body: SourceBody,
  },
  {
    method: 'DELETE',
    path: '/api/webhooks/sources/{source}',
    scope: 'admin',
    summary: 'Delete a webhook source',
  },
  { method: 'GET', path: '/api/webhooks/subscribers', scope: 'viewer', summary: 'List subscribers' },
  {
    method: 'GET',
    path: '/api/webhooks/subscribers/{subscriber}',
    scope: 'viewer',
    summary: 'Show a subscriber',
  },
  {
    method: 'PUT',
    path: '/api/webhooks/subscribers/{subscriber}',
    scope: 'admin',
    summary: 'Create or replace a subscriber',
    body: SubscriberBody,
  },
  {
    method: 'DELETE',
    path: '/api/webhooks/subscribers/{subscriber}',
    scope: 'admin',
    summary: 'Delete a subscriber',
  },
  {
    method: 'POST',
    path: '/api/webhooks/subscribers/{subscriber}/rotate-secret',
    scope: 'admin',
    summary: 'Generate a new signing secret; the previous one keeps signing until removed',
  },
  {
    method: 'GET',
    path: '/api/webhooks/subscribers/{subscriber}/deliveries',
    scope: 'viewer',
    summary: "A subscriber's outbound deliveries, newest first",
    query: OutboxQuery,
  },
  {
    method: 'GET',
    path: '/api/integrations/webhook/{name}/logs',
    scope: 'viewer',
    summary: "A source's deliveries, newest first, payloads redacted",
    query: LogsQuery,
  },
  {
    method: 'POST',
    path: '/api/integrations/webhook/{name}/test',
    scope: 'operator',
    summary: 'Send a signed sample through the whole path and report each step',
    body: TestBody,
  },
  {
    method: 'GET',
    path: '/api/events',
    scope: 'viewer',
    summary: 'Normalized events as server-sent events (Last-Event-ID resumes)',
    query: EventsQuery,
  },
  {
    method: 'POST',
    path: '/api/integrations/webhook/{name}',
    scope: null,
    summary: 'Receive a delivery (no token: verified by the source signature scheme)',
  },
  {
    method: 'POST',
    path: '/api/integrations/slack/webhook',
    scope: null,
    summary: 'Receive a Slack Events API, interactivity or slash command request',
  },
] as const;
