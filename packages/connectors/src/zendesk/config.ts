import { secret } from '@patchbay/core';
import { z } from 'zod';

/**
 * Zendesk connection settings. Give `subdomain` (`acme` for https://acme.zendesk.com) or
 * `baseUrl` (a host-mapped domain, or a fake in tests); `baseUrl` wins when both are set.
 */
export const zendeskConfig = z
  .object({
    /** @example 'acme' */
    subdomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'must be a Zendesk subdomain such as acme')
      .optional(),
    /** @example 'https://acme.zendesk.com' */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** The agent the API token belongs to. */
    email: z.email(),
    apiToken: secret(),
    /** The ticket custom field that holds seed 004's customer id. */
    customerIdFieldId: z.coerce.number().int().positive().optional(),
  })
  .refine((c) => c.subdomain !== undefined || c.baseUrl !== undefined, {
    message: 'give baseUrl or subdomain',
    path: ['baseUrl'],
  });

export type ZendeskConfig = z.output<typeof zendeskConfig>;

/** Env variable per config field. */
export const ZENDESK_ENV = {
  subdomain: 'ZENDESK_SUBDOMAIN',
  baseUrl: 'ZENDESK_BASE_URL',
  email: 'ZENDESK_EMAIL',
  apiToken: 'ZENDESK_API_TOKEN',
  customerIdFieldId: 'ZENDESK_CUSTOMER_ID_FIELD_ID',
} as const;

/** The account's root URL, without a trailing slash. */
export function zendeskBaseUrl(config: ZendeskConfig): string {
  return (config.baseUrl ?? `https://${config.subdomain}.zendesk.com`).replace(/\/+$/, '');
}

/** The agent-facing page of a ticket (the API's own `url` field points at the JSON). */
export function agentTicketUrl(config: ZendeskConfig, id: number): string {
  return `${zendeskBaseUrl(config)}/agent/tickets/${id}`;
}
