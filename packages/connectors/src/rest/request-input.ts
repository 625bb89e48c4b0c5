import { z } from 'zod';
import { HEADER_NAME, RESERVED_HEADERS } from './config.js';

/** A dot segment, raw or percent-encoded (`..`, `.%2e`, `%2E%2E`). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * A path under the integration's base URL: starts with `/`, no scheme or host, no `..` or `.`
 * segment (a server would resolve them above the base path), no query (use `query`) or fragment.
 */
export const RestRelativePath = z
  .string()
  .min(1)
  .max(2048)
  .startsWith('/', 'must start with /')
  .refine((path) => !path.startsWith('//'), 'must not start with //')
  .refine((path) => !/[?#\s\p{Cc}\\]/u.test(path), 'must not hold ?, #, \\, spaces or control characters')
  .refine(
    (path) => !path.split('/').some((segment) => DOT_SEGMENT.test(segment)),
    'must not hold . or .. segments',
  )
  .describe('Path under the base URL, e.g. /items/42');

const QueryValue = z.union([z.string(), z.number(), z.boolean()]);

/** Query parameters; an array repeats the name (`?tag=a&tag=b`). */
export const RestQueryParams = z
  .record(z.string().min(1).max(200), z.union([QueryValue, z.array(QueryValue).max(100)]))
  .describe('Query parameters; an array repeats the name');

/** Extra request headers; credentials and connection headers are refused. */
export const RestRequestHeaders = z
  .record(
    z
      .string()
      .regex(HEADER_NAME, 'must be a header name')
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by the integration, not per call'),
    z
      .string()
      .max(4096)
      .regex(/^[^\r\n]*$/, 'must be one line'),
  )
  .describe('Extra request headers (no credentials: those come from the integration config)');

/** What a REST operation returns: the upstream's status, headers and parsed body. */
export const RestResponse = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  body: z.unknown(),
});
export type RestResponse = z.output<typeof RestResponse>;
