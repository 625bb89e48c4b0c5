export { ZENDESK_ENV, type ZendeskConfig, zendeskConfig } from './config.js';
export { Ticket as ZendeskTicket, TicketComment as ZendeskTicketComment } from './results.js';
export { zendeskIntegration } from './zendesk.js';
export { explainZendeskError } from './zendesk-errors.js';
