import type { FakeResponse } from '../../types.js';
import type { Audit } from './zendesk-desk.js';
import type { FakeZendeskComment, FakeZendeskTicket, FakeZendeskUser } from './zendesk-records.js';
import type { ZendeskDetails } from './zendesk-validation.js';

/** A ticket as Zendesk's Tickets API returns it (the fields a client reads, and the usual rest). */
export function ticketJson(ticket: FakeZendeskTicket, origin: string): Record<string, unknown> {
  const first = ticket.comments[0];
  return {
    url: `${origin}/api/v2/tickets/${ticket.id}.json`,
    id: ticket.id,
    external_id: null,
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
    type: ticket.type,
    subject: ticket.subject,
    raw_subject: ticket.subject,
    description: first?.body ?? '',
    priority: ticket.priority,
    status: ticket.status,
    recipient: null,
    requester_id: ticket.requester_id,
    submitter_id: ticket.submitter_id,
    assignee_id: ticket.assignee_id,
    organization_id: null,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    has_incidents: false,
    is_public: first?.public ?? true,
    due_at: null,
    tags: ticket.tags,
    custom_fields: ticket.custom_fields,
    fields: ticket.custom_fields,
    satisfaction_rating: null,
    brand_id: 1,
    allow_channelback: false,
    allow_attachments: true,
  };
}

export function commentJson(comment: FakeZendeskComment): Record<string, unknown> {
  return {
    id: comment.id,
    type: 'Comment',
    author_id: comment.author_id,
    body: comment.body,
    html_body: `<div class="zd-comment" dir="auto"><p>${escapeHtml(comment.body)}</p></div>`,
    plain_body: comment.body,
    public: comment.public,
    attachments: [],
    audit_id: comment.audit_id,
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    created_at: comment.created_at,
    metadata: { system: {}, custom: {} },
  };
}

export function userJson(user: FakeZendeskUser): Record<string, unknown> {
  return { id: user.id, name: user.name, email: user.email, role: user.role, active: true, verified: true };
}

export function auditJson(audit: Audit): Record<string, unknown> {
  return { ...audit, via: { channel: 'api', source: { from: {}, to: {}, rel: null } }, metadata: {} };
}

/** Zendesk's error bodies, as documented for its REST API. */
export const zendeskError = {
  unauthorized: (): FakeResponse => ({
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="Web Password"' },
    json: { error: "Couldn't authenticate you" },
  }),
  notFound: (): FakeResponse => ({
    status: 404,
    json: { error: 'RecordNotFound', description: 'Not found' },
  }),
  invalid: (details: ZendeskDetails): FakeResponse => ({
    status: 422,
    json: { error: 'RecordInvalid', description: 'Record validation errors', details },
  }),
  badRequest: (description: string): FakeResponse => ({
    status: 400,
    json: { error: 'InvalidParameter', description },
  }),
  rateLimited: (retryAfterSeconds: number): FakeResponse => ({
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    json: {
      error: 'APIRateLimitExceeded',
      description: 'Number of allowed API requests per minute exceeded',
    },
  }),
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
