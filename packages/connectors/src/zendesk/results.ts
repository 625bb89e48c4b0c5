import { z } from 'zod';
import { agentTicketUrl, type ZendeskConfig } from './config.js';
import type { WireTicket } from './wire.js';

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;

/** A ticket as this connector returns it. */
export const Ticket = z.object({
  id: z.number().int(),
  /** The agent page of the ticket. */
  url: z.string(),
  subject: z.string(),
  description: z.string(),
  /** new, open, pending, hold, solved or closed (deleted for a deleted ticket). */
  status: z.string(),
  priority: z.string().nullable(),
  type: z.string().nullable(),
  requesterId: z.number().int().nullable(),
  assigneeId: z.number().int().nullable(),
  tags: z.array(z.string()),
  /** Seed 004's customer id, read from `customerIdFieldId` when configured. */
  customerId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ticket = z.output<typeof Ticket>;

export const TicketComment = z.object({
  id: z.number().int(),
  authorId: z.number().int(),
  body: z.string(),
  /** False for an internal note. */
  public: z.boolean(),
  createdAt: z.string(),
});

/** Zendesk's ticket JSON in this connector's shape. */
export function toTicket(wire: WireTicket, config: ZendeskConfig): Ticket {
  const field =
    config.customerIdFieldId === undefined
      ? undefined
      : wire.custom_fields.find((f) => f.id === config.customerIdFieldId);
  const customerId = field?.value === undefined || field.value === null ? null : String(field.value);
  return {
    id: wire.id,
    url: agentTicketUrl(config, wire.id),
    subject: wire.subject ?? '',
    description: wire.description ?? '',
    status: wire.status,
    priority: wire.priority,
    type: wire.type ?? null,
    requesterId: wire.requester_id,
    assigneeId: wire.assignee_id,
    tags: wire.tags,
    customerId,
    createdAt: wire.created_at,
    updatedAt: wire.updated_at,
  };
}
