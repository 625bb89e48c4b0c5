import { IntegrationPermanentError } from '@patchbay/core';
import { z } from 'zod';
import { defineZendeskOperation } from '../define-zendesk-operation.js';
import { readWire } from '../read-wire.js';
import { TicketComment } from '../results.js';
import { CursorMeta, TicketWithAudit, WireComment } from '../wire.js';
import { zendeskRequest } from '../zendesk-errors.js';
import { TicketId, ticketPath } from './ticket-id.js';

/**
 * Seed 004's `add_comment`. Zendesk has no comment-create endpoint: a comment is added by
 * updating the ticket with `{ticket: {comment: {body, public}}}`, and its id is in the audit.
 */
export const addComment = defineZendeskOperation({
  description: 'Add a public reply or an internal note (public: false) to a Zendesk ticket',
  input: z.object({
    ticketId: TicketId,
    body: z.string().trim().min(1).max(65_536),
    /** False for an internal note only agents see. @default true */
    public: z.boolean().default(true),
  }),
  output: z.object({ commentId: z.number().int(), ticketId: z.number().int(), public: z.boolean() }),
  kind: 'write',
  async run(ctx, input) {
    const json = { ticket: { comment: { body: input.body, public: input.public } } };
    // Never retried: Zendesk adds a comment through PUT, which the kernel would deem safe to
    // repeat, but a repeat after a lost answer posts the comment twice. A 429 fails at once with
    // its Retry-After, for the caller to reschedule.
    const body = await zendeskRequest(ctx.http.put(ticketPath(input.ticketId), { json, retry: false }));
    const { ticket, audit } = readWire(TicketWithAudit, body, ctx);
    const comment = audit.events.find((e) => e.type === 'Comment');
    if (!comment) {
      throw new IntegrationPermanentError(
        `Zendesk updated ticket ${ticket.id} but its audit ${audit.id} records no comment`,
        { integration: ctx.integration, operation: ctx.operation, code: 'INVALID_OUTPUT' },
      );
    }
    return { commentId: comment.id, ticketId: ticket.id, public: input.public };
  },
});

export const listTicketComments = defineZendeskOperation({
  description: 'List the comments of a Zendesk ticket, oldest first, a page at a time',
  input: z.object({
    ticketId: TicketId,
    /** @default 25 */
    perPage: z.number().int().min(1).max(100).default(25),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(512).optional(),
    /** @default 'asc' */
    sortOrder: z.enum(['asc', 'desc']).default('asc'),
  }),
  output: z.object({
    comments: z.array(TicketComment),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
  }),
  kind: 'read',
  async run(ctx, input) {
    const params: Record<string, string | number> = {
      'page[size]': input.perPage,
      sort_order: input.sortOrder,
    };
    if (input.cursor !== undefined) params['page[after]'] = input.cursor;
    const body = await zendeskRequest(ctx.http.get(`${ticketPath(input.ticketId)}/comments`, { params }));
    const page = readWire(CursorMeta.extend({ comments: z.array(WireComment) }), body, ctx);
    return {
      comments: page.comments.map((c) => ({
        id: c.id,
        authorId: c.author_id,
        body: c.body,
        public: c.public,
        createdAt: c.created_at,
      })),
      nextCursor: page.meta.has_more ? page.meta.after_cursor : null,
      hasMore: page.meta.has_more,
    };
  },
});
