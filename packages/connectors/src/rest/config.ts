import { type AuthConfig, secret } from '@patchbay/core';
import { z } from 'zod';

/** A header name as RFC 9110 allows it (a token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/**
 * Headers that carry credentials or describe the connection. Credentials come from the auth
 * fields (so they are stored encrypted and redacted); the rest belong to the transport.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

/** Fixed headers sent with every request; JSON text is accepted, as env variables carry it. */
const DefaultHeaders = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  },
  z.record(
    z.string().regex(HEADER_NAME, 'must be a header name'),
    z
      .string()
      .max(4096)
      .regex(/^[^\r\n]*$/, 'must be one line'),
  ),
);

/**
 * A generic REST API's connection: where it is, how to authenticate, fixed headers and the
 * per-attempt timeout. `auth` picks which credential fields are needed:
 * - `bearer`: `token` (sent as `Authorization: Bearer <token>`);
 * - `basic`: `username` and `password`;
 * - `api_key`: `token`, in the header or query parameter `apiKeyName` (`apiKeyLocation`), after
 *   `apiKeyPrefix` when set.
 */
export const restConfig = z
  .object({
    /** @example 'https://api.example.com/v2' */
    baseUrl: z.url({ protocol: /^https?$/ }),
    auth: z.enum(['none', 'bearer', 'basic', 'api_key']).default('none'),
    /** Bearer token or API key. */
    token: secret().optional(),
    username: z.string().min(1).optional(),
    password: secret().optional(),
    apiKeyLocation: z.enum(['header', 'query']).default('header'),
    /** Header or query parameter that carries the API key. */
    apiKeyName: z.string().regex(HEADER_NAME, 'must be a header or parameter name').default('X-API-Key'),
    /** Written before the key, separated by a space (`ApiKey abc`). */
    apiKeyPrefix: z.string().min(1).max(50).optional(),
    /** Sent with every request, under the caller's own headers. Not for credentials. */
    headers: DefaultHeaders.optional(),
    /** Per-attempt timeout, ms. */
    timeout: z.coerce.number().int().min(1).max(600_000).default(30_000),
    /** A path that answers 2xx when the API and credential work; without it, any answer below 500 to `GET /` is taken as reachable. */
    healthPath: z.string().startsWith('/').optional(),
  })
  .superRefine((config, ctx) => {
    const need = (field: 'token' | 'username' | 'password') => {
      if (config[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is required for auth ${config.auth}` });
      }
    };
    if (config.auth === 'bearer' || config.auth === 'api_key') need('token');
    if (config.auth === 'basic') {
      need('username');
      need('password');
    }
    for (const name of Object.keys(config.headers ?? {})) {
      const lower = name.toLowerCase();
      if (
        RESERVED_HEADERS.has(lower) ||
        (config.auth === 'api_key' && lower === config.apiKeyName.toLowerCase())
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: 'is set by the auth fields or the transport, not as a fixed header',
        });
      }
    }
  });

/** The parsed config every REST operation receives. */
export type RestConfig = z.output<typeof restConfig>;

/** The env variable of each config field for an integration named `name` (`rest` → `REST_BASE_URL`). */
export function restEnv(name: string): Record<keyof z.input<typeof restConfig> & string, string> {
  const prefix = name.toUpperCase();
  return {
    baseUrl: `${prefix}_BASE_URL`,
    auth: `${prefix}_AUTH`,
    token: `${prefix}_TOKEN`,
    username: `${prefix}_USERNAME`,
    password: `${prefix}_PASSWORD`,
    apiKeyLocation: `${prefix}_API_KEY_LOCATION`,
    apiKeyName: `${prefix}_API_KEY_NAME`,
    apiKeyPrefix: `${prefix}_API_KEY_PREFIX`,
    headers: `${prefix}_HEADERS`,
    timeout: `${prefix}_TIMEOUT_MS`,
    healthPath: `${prefix}_HEALTH_PATH`,
  };
}

/** The auth the config describes, as core's {@link AuthConfig}. */
export function restAuth(config: RestConfig): AuthConfig {
  switch (config.auth) {
    case 'none':
      return { type: 'none' };
    case 'bearer':
      return { type: 'bearer', token: config.token ?? '' };
    case 'basic':
      return { type: 'basic', username: config.username ?? '', password: config.password ?? '' };
    case 'api_key':
      return {
        type: 'api_key',
        token: config.token ?? '',
        tokenLocation: config.apiKeyLocation,
        tokenKey: config.apiKeyName,
        ...(config.apiKeyPrefix === undefined ? {} : { tokenPrefix: config.apiKeyPrefix }),
      };
  }
}
