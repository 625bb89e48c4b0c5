import type { PreparedRequest } from './types.js';

export interface EncodedBody {
  body: string | Uint8Array | undefined;
  contentType: string | undefined;
}

/** Encodes the request body for one attempt: JSON, form or raw bytes. */
export function encodeBody(req: PreparedRequest): EncodedBody {
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json' };
  if (req.form !== undefined) {
    return { body: req.form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: req.body, contentType: undefined };
}
