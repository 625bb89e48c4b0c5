import { IntegrationPermanentError } from '../errors/integration-error.js';
import type { RawResponse } from '../http/types.js';

export type BodyMode = 'auto' | 'json' | 'bytes';

export interface ParseContext {
  integration: string;
  operation: string;
  method: string;
  /** Computed only when an error needs it: parsing a URL on every success is measurable. */
  redactedUrl: () => string;
}

/** Parses a successful body: JSON when asked or declared, bytes when asked, else text. */
export function parseBody(res: RawResponse, mode: BodyMode, ctx: ParseContext): unknown {
  if (res.body.length === 0) return null;
  if (mode === 'bytes') return res.body;
  const contentType = res.headers['content-type'];
  const declaredJson = typeof contentType === 'string' && contentType.includes('json');
  const text = res.body.toString('utf8');
  if (mode === 'json' || declaredJson) {
    try {
      return JSON.parse(text);
    } catch {
      const url = ctx.redactedUrl();
      throw new IntegrationPermanentError(
        `Invalid JSON in the response (HTTP ${res.status}) on ${ctx.method} ${url}`,
        {
          integration: ctx.integration,
          operation: ctx.operation,
          status: res.status,
          code: 'INVALID_RESPONSE',
          method: ctx.method,
          url,
          requestSent: true,
        },
      );
    }
  }
  return text;
}
