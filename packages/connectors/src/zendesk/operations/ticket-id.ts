import { z } from 'zod';

/** Zendesk ticket ids are positive integers. @example 35436 */
export const TicketId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The API path of one ticket. */
export const ticketPath = (id: number): string => `/api/v2/tickets/${id}`;
