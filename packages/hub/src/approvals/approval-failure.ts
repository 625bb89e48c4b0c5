import type { ApprovalRecord } from '../storage/index.js';
import { ApprovalError, type ApprovalErrorType } from './approval-error.js';
import type { Settlement } from './approval-waiters.js';

/** The error a call that did not get its approval ends with, saying why in words an agent can use. */
export function approvalFailure(
  record: ApprovalRecord,
  settlement: Settlement,
  timeoutMs: number,
): ApprovalError {
  const { id, integration, operation } = record;
  const what = `${integration}.${operation}`;
  const reason = settlement.reason ?? undefined;
  const [type, message]: [ApprovalErrorType, string] =
    settlement.status === 'denied'
      ? ['ApprovalDenied', `An admin denied ${what} (approval ${id})${reason ? `: ${reason}` : ''}`]
      : settlement.status === 'expired'
        ? [
            'ApprovalTimedOut',
            `Nobody granted ${what} within ${timeoutMs / 1000} s (approval ${id}); it was not sent`,
          ]
        : [
            'ApprovalCancelled',
            `The wait for approval ${id} of ${what} ended: ${reason ?? settlement.status}`,
          ];
  return new ApprovalError(type, message, id, integration, operation, reason);
}
