import { secret } from '@patchbay/core';
import { z } from 'zod';

/**
 * Payments API settings: its base URL, OAuth2 client credentials, and the shared secret that
 * signs requests (seed 004's `oauth2_hmac`).
 */
export const transactionsConfig = z.object({
  /** @example 'https://payments.example.com/api/v1' */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** @default `${baseUrl}/oauth/token` (seed 004's token endpoint) */
  tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
  clientId: z.string().min(1),
  clientSecret: secret(),
  /** Space-separated scopes to ask for. @example 'transactions:read transactions:write' */
  scope: z.string().optional(),
  /** How the client authenticates to the token endpoint. @default 'basic' */
  clientAuth: z.enum(['basic', 'body']).default('basic'),
  /** Shared secret for `X-HMAC-Signature`. */
  hmacSecret: secret(),
});

export type TransactionsConfig = z.output<typeof transactionsConfig>;

/** Env variable per config field. */
export const TRANSACTIONS_ENV = {
  baseUrl: 'TRANSACTIONS_API_URL',
  tokenUrl: 'TRANSACTIONS_TOKEN_URL',
  clientId: 'TRANSACTIONS_CLIENT_ID',
  clientSecret: 'TRANSACTIONS_CLIENT_SECRET',
  scope: 'TRANSACTIONS_SCOPE',
  clientAuth: 'TRANSACTIONS_CLIENT_AUTH',
  hmacSecret: 'TRANSACTIONS_HMAC_SECRET',
} as const;

/** The token endpoint: configured, or `oauth/token` under the base URL. */
export function transactionsTokenUrl(config: TransactionsConfig): string {
  return config.tokenUrl ?? `${config.baseUrl.replace(/\/+$/, '')}/oauth/token`;
}
