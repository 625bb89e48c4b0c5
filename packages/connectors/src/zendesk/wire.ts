import { z } from 'zod';

/**
 * The parts of Zendesk's JSON this connector reads. Unknown fields are dropped; a missing or
 * mistyped field the connector needs makes the call fail with `INVALID_OUTPUT`.
 */
export const WireTicket = z.object({
  id: z.number().int(),
  subject: z.string().nullable(),
  description: z.string().nullable(),
  status: z.string(),
  priority: z.string().nullable(),
  type: z.string().nullable().optional(),
  requester_id: z.number().int().nullable(),
  assignee_id: z.number().int().nullable(),
  tags: z.array(z.string()).default([]),
  custom_fields: z.array(z.object({ id: z.number().int(), value: z.unknown() })).default([]),
  created_at: z.string(),
  updated_at: z.string(),
});
export type WireTicket = z.output<typeof WireTicket>;

export const WireUser = z.object({ id: z.number().int(), email: z.string().nullable().optional() });

export const WireComment = z.object({
  id: z.number().int(),
  author_id: z.number().int(),
  body: z.string(),
  public: z.boolean(),
  created_at: z.string(),
});

const WireAuditEvent = z.object({ id: z.number().int(), type: z.string() });

/** `POST /tickets` and `PUT /tickets/{id}` answer with the ticket and the audit of the change. */
export const TicketWithAudit = z.object({
  ticket: WireTicket,
  audit: z.object({ id: z.number().int(), events: z.array(WireAuditEvent) }),
});

export const TicketWithUsers = z.object({
  ticket: WireTicket,
  users: z.array(WireUser).default([]),
});

/** Cursor pagination's envelope (`page[size]`, `page[after]`). */
export const CursorMeta = z.object({
  meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullable() }),
});

/** Offset pagination's envelope (`page`, `per_page`). */
export const OffsetMeta = z.object({
  next_page: z.string().nullable(),
  count: z.number().int().nullable().optional(),
});
