import type { FakeUpstream } from '../../fake-upstream.js';
import type { FakeResponse, RecordedRequest } from '../../types.js';
import type { ZendeskDesk } from './zendesk-desk.js';
import { TicketIdempotency } from './zendesk-idempotency.js';
import { auditJson, commentJson, ticketJson, userJson, zendeskError } from './zendesk-json.js';
import { cursorPage, offsetPage, queryValue } from './zendesk-paging.js';
import type { FakeZendeskTicket } from './zendesk-records.js';
import { ticketMatcher } from './zendesk-search.js';
import type { WireTicketInput } from './zendesk-validation.js';

/** Wraps a route handler with the checks every Zendesk request passes (rate limit, auth). */
export type Guard = (
  handler: (req: RecordedRequest) => FakeResponse,
) => (req: RecordedRequest) => FakeResponse;

/**
 * Registers Zendesk's Support API v2 routes on a fake upstream. Each path answers with and
 * without the `.json` suffix, as Zendesk does.
 */
export function registerZendeskRoutes(up: FakeUpstream, desk: ZendeskDesk, guard: Guard): void {
  const origin = up.url;
  const route = (method: string, path: string, handler: (req: RecordedRequest) => FakeResponse) => {
    up.on(method, path, guard(handler));
    up.on(method, `${path}.json`, guard(handler));
  };

  route('GET', '/api/v2/users/me', () => ({ json: { user: userJson(desk.apiUser) } }));

  const idempotency = new TicketIdempotency();
  route('POST', '/api/v2/tickets', (req) =>
    idempotency.run(req, () => {
      const body = ticketBody(req);
      if (!body.ok) return body.response;
      const result = desk.create(body.ticket);
      if (!result.ok)
        return result.status === 404 ? zendeskError.notFound() : zendeskError.invalid(result.details);
      return {
        status: 201,
        headers: { location: `${origin}/api/v2/tickets/${result.ticket.id}.json` },
        json: { ticket: ticketJson(result.ticket, origin), audit: auditJson(result.audit) },
      };
    }),
  );

  up.on(
    'GET',
    '/api/v2/tickets/:id',
    guard((req) => {
      const ticket = ticketOf(desk, req);
      if (!ticket) return zendeskError.notFound();
      const json: Record<string, unknown> = { ticket: ticketJson(ticket, origin) };
      if (sideloads(req).includes('users')) {
        const ids = new Set([ticket.requester_id, ticket.submitter_id, ticket.assignee_id]);
        json.users = [...ids].flatMap((id) => {
          const user = id === null ? undefined : desk.userById(id);
          return user ? [userJson(user)] : [];
        });
      }
      return { json };
    }),
  );

  up.on(
    'PUT',
    '/api/v2/tickets/:id',
    guard((req) => {
      const id = ticketId(req);
      if (id === undefined) return zendeskError.notFound();
      const body = ticketBody(req);
      if (!body.ok) return body.response;
      const result = desk.update(id, body.ticket);
      if (!result.ok)
        return result.status === 404 ? zendeskError.notFound() : zendeskError.invalid(result.details);
      return { json: { ticket: ticketJson(result.ticket, origin), audit: auditJson(result.audit) } };
    }),
  );

  route('GET', '/api/v2/tickets/:id/comments', (req) => {
    const ticket = ticketOf(desk, req);
    if (!ticket) return zendeskError.notFound();
    const comments =
      queryValue(req.query, 'sort_order') === 'desc' ? [...ticket.comments].reverse() : ticket.comments;
    const link = linkBuilder(`${origin}/api/v2/tickets/${ticket.id}/comments.json`, {});
    const cursor = 'page[size]' in req.query || 'page[after]' in req.query;
    const page = cursor ? cursorPage(comments, req.query, link) : offsetPage(comments, req.query, link);
    if (!page.ok) return zendeskError.badRequest(page.description);
    return { json: { comments: page.items.map(commentJson), ...page.body } };
  });

  route('GET', '/api/v2/search', (req) => {
    const query = queryValue(req.query, 'query');
    if (!query) return zendeskError.badRequest('query parameter is required');
    const found = sortTickets(search(desk, query), req.query);
    const page = offsetPage(found, req.query, linkBuilder(`${origin}/api/v2/search.json`, { query }));
    if (!page.ok) return zendeskError.badRequest(page.description);
    return { json: { results: page.items.map((t) => resultJson(t, origin)), facets: null, ...page.body } };
  });

  route('GET', '/api/v2/search/export', (req) => {
    const query = queryValue(req.query, 'query');
    if (!query) return zendeskError.badRequest('query parameter is required');
    if (queryValue(req.query, 'filter[type]') !== 'ticket') {
      return zendeskError.badRequest('filter[type] is required; this fake exports tickets only');
    }
    const link = linkBuilder(`${origin}/api/v2/search/export.json`, { query, 'filter[type]': 'ticket' });
    const page = cursorPage(search(desk, query), req.query, link, 1000);
    if (!page.ok) return zendeskError.badRequest(page.description);
    return { json: { results: page.items.map((t) => resultJson(t, origin)), facets: null, ...page.body } };
  });
}

function ticketBody(
  req: RecordedRequest,
): { ok: true; ticket: WireTicketInput } | { ok: false; response: FakeResponse } {
  let parsed: unknown;
  try {
    parsed = req.json();
  } catch {
    return { ok: false, response: zendeskError.badRequest('The request body is not valid JSON') };
  }
  const ticket = (parsed as { ticket?: unknown } | null)?.ticket;
  if (typeof ticket !== 'object' || ticket === null || Array.isArray(ticket)) {
    return {
      ok: false,
      response: zendeskError.badRequest('Parameter ticket is required and must be an object'),
    };
  }
  return { ok: true, ticket: ticket as WireTicketInput };
}

function ticketId(req: RecordedRequest): number | undefined {
  const raw = (req.params.id ?? '').replace(/\.json$/, '');
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

function ticketOf(desk: ZendeskDesk, req: RecordedRequest): FakeZendeskTicket | undefined {
  const id = ticketId(req);
  return id === undefined ? undefined : desk.ticket(id);
}

function sideloads(req: RecordedRequest): string[] {
  return (queryValue(req.query, 'include') ?? '').split(',').map((s) => s.trim());
}

function search(desk: ZendeskDesk, query: string): FakeZendeskTicket[] {
  return desk.tickets.filter(ticketMatcher(query, desk.userById));
}

function sortTickets(
  tickets: FakeZendeskTicket[],
  query: Record<string, string | string[]>,
): FakeZendeskTicket[] {
  const by = queryValue(query, 'sort_by');
  if (by !== 'created_at' && by !== 'updated_at') return tickets;
  const direction = queryValue(query, 'sort_order') === 'asc' ? 1 : -1;
  return [...tickets].sort((a, b) => direction * (a[by].localeCompare(b[by]) || a.id - b.id));
}

function resultJson(ticket: FakeZendeskTicket, origin: string): Record<string, unknown> {
  return { ...ticketJson(ticket, origin), result_type: 'ticket' };
}

function linkBuilder(base: string, fixed: Record<string, string>) {
  return (params: Record<string, string>) => `${base}?${new URLSearchParams({ ...fixed, ...params })}`;
}
