import { basic, defineIntegration } from '@patchbay/core';
import { ZENDESK_ENV, zendeskBaseUrl, zendeskConfig } from './config.js';
import { addComment, listTicketComments } from './operations/comments.js';
import { searchTickets } from './operations/search.js';
import { createTicket, getTicket, getTicketStatus, updateTicket } from './operations/tickets.js';

/**
 * Zendesk Support API v2: seed 004's ticketing adapter. Authenticates with an API token as
 * Zendesk documents it (`Basic base64("{email}/token:{api_token}")`). A permanent 4xx says what
 * Zendesk said (404 `RecordNotFound`, 422 `RecordInvalid` with each field's problem as `issues`);
 * 401 is an `IntegrationAuthError`; 429 is waited out per `Retry-After`, or fails at once as
 * `IntegrationRateLimited` when the wait is beyond the retry cap.
 * @example
 * const zendesk = createIntegration(zendeskIntegration, {
 *   env: { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'bot@acme.com', ZENDESK_API_TOKEN: token },
 * });
 * const { ticketId } = await zendesk.call('create_ticket', {
 *   subject: 'Refund', description: 'Charged twice', priority: 'high', customerId: 'C-42',
 * });
 */
export const zendeskIntegration = defineIntegration({
  name: 'zendesk',
  description: 'Zendesk Support: create, read, update, comment on and search tickets',
  config: zendeskConfig,
  env: ZENDESK_ENV,
  baseUrl: zendeskBaseUrl,
  auth: (c) => basic(`${c.email}/token`, c.apiToken),
  // Seed 004's base adapter: a 10 s request timeout, a breaker that opens after 5 failures for 60 s.
  policies: {
    timeout: 10_000,
    circuitBreaker: { failureThreshold: 5, minimumCalls: 5, recoveryTimeout: 60_000 },
  },
  health: (ctx) => ctx.http.get('/api/v2/users/me'),
  operations: {
    create_ticket: createTicket,
    get_ticket_status: getTicketStatus,
    get_ticket: getTicket,
    add_comment: addComment,
    update_ticket: updateTicket,
    search_tickets: searchTickets,
    list_ticket_comments: listTicketComments,
  },
});
