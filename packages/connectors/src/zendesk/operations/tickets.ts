import { randomUUID } from 'node:crypto';
import { IntegrationNotConfigured } from '@patchbay/core';
import { z } from 'zod';
import { agentTicketUrl } from '../config.js';
import { defineZendeskOperation } from '../define-zendesk-operation.js';
import { readWire } from '../read-wire.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, Ticket, toTicket } from '../results.js';
import { RETRY_WITH_IDEMPOTENCY_KEY } from '../retry-rules.js';
import { TicketWithAudit, TicketWithUsers } from '../wire.js';
import { zendeskRequest } from '../zendesk-errors.js';
import { TicketId, ticketPath } from './ticket-id.js';

const Tag = z
  .string()
  .regex(/^[^\s,]+$/, 'a tag has no spaces or commas')
  .max(80);

const CreateTicketInput = z
  .object({
    subject: z.string().trim().min(1).max(250),
    /** Becomes the ticket's first comment. */
    description: z.string().trim().min(1).max(65_536),
    priority: z.enum(TICKET_PRIORITIES).default('normal'),
    /** Stored in the `customerIdFieldId` custom field. */
    customerId: z.string().min(1).max(255).optional(),
    /** Created as an end user when Zendesk does not know the email. */
    requester: z.object({ email: z.email(), name: z.string().min(1).max(255).optional() }).optional(),
    requesterId: z.number().int().positive().optional(),
    tags: z.array(Tag).max(100).optional(),
    /** False makes the description an internal note (a private ticket). @default true */
    public: z.boolean().default(true),
  })
  .refine((i) => i.requester === undefined || i.requesterId === undefined, {
    message: 'give requester or requesterId, not both',
    path: ['requesterId'],
  });

/**
 * Seed 004's `create_ticket`. Sent with Zendesk's `Idempotency-Key` (one per call, or the
 * caller's), so it is retried safely after a lost answer; calling it twice creates two tickets.
 */
export const createTicket = defineZendeskOperation({
  description: 'Create a Zendesk support ticket for a customer',
  input: CreateTicketInput,
  output: z.object({ ticketId: z.number().int(), status: z.string(), url: z.string() }),
  kind: 'write',
  async run(ctx, input) {
    const ticket: Record<string, unknown> = {
      subject: input.subject,
      comment: { body: input.description, public: input.public },
      priority: input.priority,
    };
    if (input.customerId !== undefined) {
      const field = ctx.config.customerIdFieldId;
      if (field === undefined) {
        throw new IntegrationNotConfigured(
          'Zendesk needs config.customerIdFieldId (ZENDESK_CUSTOMER_ID_FIELD_ID) to store a customer id',
          { integration: ctx.integration, operation: ctx.operation, code: 'NOT_CONFIGURED' },
        );
      }
      ticket.custom_fields = [{ id: field, value: input.customerId }];
    }
    if (input.requester) ticket.requester = input.requester;
    if (input.requesterId !== undefined) ticket.requester_id = input.requesterId;
    if (input.tags) ticket.tags = input.tags;
    // A key per call, kept across its retries: a create whose answer was lost is not made twice.
    // A key the caller gave for the call (CallOptions.idempotencyKey) replaces it.
    const body = await zendeskRequest(
      ctx.http.post('/api/v2/tickets', {
        json: { ticket },
        headers: { 'Idempotency-Key': randomUUID() },
        retry: RETRY_WITH_IDEMPOTENCY_KEY,
      }),
    );
    const created = readWire(TicketWithAudit, body, ctx).ticket;
    return { ticketId: created.id, status: created.status, url: agentTicketUrl(ctx.config, created.id) };
  },
});

/** Seed 004's `get_ticket_status`, cached 5 minutes. */
export const getTicketStatus = defineZendeskOperation({
  description: 'Get the status and assignee of a Zendesk ticket (cached 5 minutes)',
  input: z.object({ ticketId: TicketId }),
  output: z.object({
    ticketId: z.number().int(),
    status: z.string(),
    assigneeId: z.number().int().nullable(),
    /** The assignee's email. */
    assignedTo: z.string().nullable(),
    lastUpdated: z.string(),
  }),
  kind: 'read',
  cache: { ttl: 300 },
  async run(ctx, { ticketId }) {
    const body = await zendeskRequest(ctx.http.get(ticketPath(ticketId), { params: { include: 'users' } }));
    const { ticket, users } = readWire(TicketWithUsers, body, ctx);
    const assignee = users.find((u) => u.id === ticket.assignee_id);
    return {
      ticketId: ticket.id,
      status: ticket.status,
      assigneeId: ticket.assignee_id,
      assignedTo: assignee?.email ?? null,
      lastUpdated: ticket.updated_at,
    };
  },
});

export const getTicket = defineZendeskOperation({
  description: 'Get a Zendesk ticket',
  input: z.object({ ticketId: TicketId }),
  output: Ticket,
  kind: 'read',
  async run(ctx, { ticketId }) {
    const body = await zendeskRequest(ctx.http.get(ticketPath(ticketId)));
    return toTicket(readWire(TicketWithUsers, body, ctx).ticket, ctx.config);
  },
});

const UpdateTicketInput = z
  .object({
    ticketId: TicketId,
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    /** An agent's user id; `null` unassigns. */
    assigneeId: z.number().int().positive().nullable().optional(),
    /** An agent's email, when the id is not known. */
    assigneeEmail: z.email().optional(),
  })
  .refine((i) => [i.status, i.priority, i.assigneeId, i.assigneeEmail].some((v) => v !== undefined), {
    message: 'give at least one of status, priority, assigneeId, assigneeEmail',
    path: ['status'],
  })
  .refine((i) => i.assigneeId === undefined || i.assigneeEmail === undefined, {
    message: 'give assigneeId or assigneeEmail, not both',
    path: ['assigneeEmail'],
  });

export const updateTicket = defineZendeskOperation({
  description: 'Change the status, priority or assignee of a Zendesk ticket',
  input: UpdateTicketInput,
  output: Ticket,
  kind: 'write',
  // Setting fields to given values: sending it twice leaves the ticket as sending it once.
  idempotent: true,
  async run(ctx, input) {
    const ticket: Record<string, unknown> = {};
    if (input.status !== undefined) ticket.status = input.status;
    if (input.priority !== undefined) ticket.priority = input.priority;
    if (input.assigneeId !== undefined) ticket.assignee_id = input.assigneeId;
    if (input.assigneeEmail !== undefined) ticket.assignee_email = input.assigneeEmail;
    const body = await zendeskRequest(ctx.http.put(ticketPath(input.ticketId), { json: { ticket } }));
    return toTicket(readWire(TicketWithAudit, body, ctx).ticket, ctx.config);
  },
});
