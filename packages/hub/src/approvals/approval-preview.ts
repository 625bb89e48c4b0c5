import { isIntegrationError, type Logger } from '@patchbay/core';
import type { HostedIntegration } from '../server/integration-host.js';
import type { ApprovalPreview } from './approval-view.js';

/** Failures of the preview that mean the call fails anyway, before sending: no person need be asked. */
const FAILS_BEFORE_SENDING = new Set([
  'IntegrationValidationError',
  'IntegrationDisabled',
  'IntegrationNotConfigured',
]);

/**
 * What the admin is shown: the request the call would send, from a dry run (secrets redacted,
 * reads on the way made for real), or why none could be built. `undefined` when the call will
 * fail anyway (bad input, integration off), so the invoker answers it without an approval.
 */
export async function approvalPreview(
  entry: HostedIntegration,
  call: { operation: string; input: unknown; integration: string; signal?: AbortSignal | undefined },
  log?: Logger,
): Promise<ApprovalPreview | undefined> {
  try {
    const result = await entry.integration.dryRun(
      call.operation,
      call.input as never,
      call.signal ? { signal: call.signal } : {},
    );
    return { request: result.request };
  } catch (error) {
    if (isIntegrationError(error)) {
      if (FAILS_BEFORE_SENDING.has(error.type)) return undefined;
      return { error: { ...error.toJSON() } };
    }
    log?.warn({ err: error, integration: call.integration }, 'approval preview failed');
    return { error: { type: 'Error', message: 'the dry run failed', retryable: false } };
  }
}
