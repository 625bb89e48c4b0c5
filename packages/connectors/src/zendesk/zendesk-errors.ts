import { type FieldIssue, IntegrationPermanentError, isErrorType, rewordError } from '@patchbay/core';
import { z } from 'zod';

/**
 * Zendesk's error bodies: `{"error":"RecordNotFound","description":"Not found"}`,
 * `{"error":"RecordInvalid","description":"…","details":{"subject":[{"description":"…"}]}}`,
 * and the newer `{"error":{"title":"Forbidden","message":"…"}}`.
 */
const ZendeskErrorBody = z.object({
  error: z.union([z.string(), z.object({ title: z.string().optional(), message: z.string().optional() })]),
  description: z.string().optional(),
  details: z
    .record(
      z.string(),
      z.array(z.object({ description: z.string().optional(), error: z.string().optional() })),
    )
    .optional(),
});

/**
 * Rewrites a permanent 4xx from Zendesk into an error that says what Zendesk said: its error
 * name, description and, for `RecordInvalid`, each field's problem (also as `issues`). Auth
 * (401/403) and rate-limit (429) errors pass through as the kernel classified them; so does a
 * body that is not Zendesk's shape (or was cut at 500 characters).
 */
export function explainZendeskError(error: unknown): unknown {
  if (!isErrorType(error, 'IntegrationPermanentError') || error.status === undefined) return error;
  if (error.status < 400 || error.status >= 500 || error.body === undefined) return error;
  let json: unknown;
  try {
    json = JSON.parse(error.body);
  } catch {
    return error;
  }
  const parsed = ZendeskErrorBody.safeParse(json);
  if (!parsed.success) return error;
  const { error: name, description, details } = parsed.data;
  const title = typeof name === 'string' ? name : (name.title ?? 'Error');
  const text = typeof name === 'string' ? description : (name.message ?? description);
  const issues: FieldIssue[] = Object.entries(details ?? {}).flatMap(([field, problems]) =>
    problems.map((p) => ({ path: field, message: p.description ?? p.error ?? 'is invalid' })),
  );
  const said = [text, ...issues.map((i) => i.message)].filter(Boolean).join('; ');
  return rewordError(
    error,
    `Zendesk ${title} (HTTP ${error.status})${said ? `: ${said}` : ''} on ${error.method} ${error.url}`,
    { vendorCode: title, ...(issues.length > 0 ? { issues } : {}) },
    IntegrationPermanentError,
  );
}

/** Runs one Zendesk request, explaining its failure in Zendesk's words. */
export async function zendeskRequest<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw explainZendeskError(error);
  }
}
