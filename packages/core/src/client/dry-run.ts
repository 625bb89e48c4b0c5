import type { PreparedRequest } from '../http/types.js';
import type { Redactor } from '../redact/redactor.js';

/** The write a dry run would have sent, secrets redacted (auth and signing are applied when sent). */
export interface DryRunRequest {
  method: string;
  /** Full URL, credentials in the query redacted. */
  url: string;
  headers: Record<string, string>;
  /** The JSON body as a value, a form as an object, raw text as a string; absent when none. */
  body?: unknown;
  idempotencyKey?: string;
}

/**
 * Thrown by the client instead of sending a write during a dry run; the integration turns it into
 * the dry-run result. Reads before it went out for real (they change nothing), so an operation that
 * looks something up and then writes shows the write it would make with the real looked-up values.
 */
export class DryRunStop extends Error {
  override readonly name = 'DryRunStop';
  constructor(readonly request: DryRunRequest) {
    super(`dry run: ${request.method} ${request.url} not sent`);
  }
}

/** Methods a dry run lets through: they read, they change nothing. */
export const DRY_RUN_PASSES = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request as a dry run shows it: known secrets and sensitive names redacted. */
export function dryRunView(req: PreparedRequest, redactor: Redactor): DryRunRequest {
  const view: DryRunRequest = {
    method: req.method,
    url: redactor.url(req.origin + req.path),
    headers: redactor.headers(req.headers),
  };
  // The transport adds the content type when it serializes; show it as it would go out.
  const contentType =
    req.json !== undefined ? 'application/json' : req.form ? 'application/x-www-form-urlencoded' : undefined;
  if (contentType && view.headers['content-type'] === undefined) view.headers['content-type'] = contentType;
  if (req.json !== undefined)
    view.body = redactKeys(JSON.parse(redactor.text(JSON.stringify(req.json))), redactor);
  else if (req.form) {
    const form: Record<string, string> = {};
    for (const [key, value] of req.form)
      form[key] = redactor.isSensitiveParam(key) ? '***' : redactor.text(value);
    view.body = form;
  } else if (typeof req.body === 'string') view.body = redactor.text(req.body);
  else if (req.body) view.body = `<${req.body.byteLength} bytes>`;
  if (req.idempotencyKey !== undefined) view.idempotencyKey = req.idempotencyKey;
  return view;
}

/** Values under sensitive names (`password`, `token`, `client_secret`, …) at any depth become `***`. */
function redactKeys(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((item) => redactKeys(item, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = redactor.isSensitiveParam(key) ? '***' : redactKeys(inner, redactor, depth + 1);
  }
  return out;
}
