import { type FieldIssue, IntegrationPermanentError, isErrorType, rewordError } from '@patchbay/core';
import { z } from 'zod';

const PaymentsErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), field: z.string().optional() }),
});

/**
 * Rewrites a permanent 4xx from the payments API into an error that says what the API said:
 * its `code` (`draft_cancelled`, `idempotency_key_reused`, …) and message, and the refused
 * `field` as an issue. Auth (401/403) and rate-limit (429) errors pass through as classified.
 */
export function explainPaymentsError(error: unknown): unknown {
  if (!isErrorType(error, 'IntegrationPermanentError') || error.status === undefined) return error;
  if (error.status < 400 || error.status >= 500 || error.body === undefined) return error;
  let json: unknown;
  try {
    json = JSON.parse(error.body);
  } catch {
    return error;
  }
  const parsed = PaymentsErrorBody.safeParse(json);
  if (!parsed.success) return error;
  const { code, message, field } = parsed.data.error;
  const issues: FieldIssue[] = field === undefined ? [] : [{ path: field, message: message ?? code }];
  return rewordError(
    error,
    `Payments API ${code} (HTTP ${error.status})${message ? `: ${message}` : ''} on ${error.method} ${error.url}`,
    { vendorCode: code, ...(issues.length > 0 ? { issues } : {}) },
    IntegrationPermanentError,
  );
}

/** Runs one payments API request, explaining its failure in the API's words. */
export async function paymentsRequest<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw explainPaymentsError(error);
  }
}
