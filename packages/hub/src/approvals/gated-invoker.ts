import type { Invocation, InvocationOutcome, OperationInvoker } from '../operations/operation-invoker.js';
import type { ApprovalErrorJson } from './approval-error.js';
import { type ApprovalError, isApprovalError } from './approval-error.js';
import type { ApprovalService } from './approval-service.js';
import type { ApprovalView } from './approval-view.js';

/** An outcome of a gated call: the invoker's, or the approval's refusal (nothing was sent). */
export type GatedOutcome =
  | InvocationOutcome
  | {
      ok: false;
      error: ApprovalError;
      body: ApprovalErrorJson;
      httpStatus: number;
      deadLetterId?: undefined;
    };

export interface GatedInvocation extends Invocation {
  /** Called once the call waits for approval (see {@link ApprovalService.gate}). */
  onWaiting?: (approval: ApprovalView) => void;
}

/**
 * The invoker behind the approval gate, for the agent edges (MCP, bus): resolves and authorizes
 * the call first (so a call the token may not make never reaches an admin), waits for approval
 * when the call needs it, then invokes. A refusal comes back as a failed outcome with the typed
 * error body, like any other failure; resolution and authorization errors throw `HubError` as
 * the invoker's do.
 * @example
 * const calls = new GatedInvoker(hub.invoker, approvals);
 * const outcome = await calls.invoke({ integration, operation, input, principal, requestId, channel: 'bus' });
 */
export class GatedInvoker {
  constructor(
    readonly invoker: OperationInvoker,
    readonly approvals?: ApprovalService,
  ) {}

  async invoke(call: GatedInvocation): Promise<GatedOutcome> {
    const { onWaiting, ...invocation } = call;
    if (this.approvals?.requires(call)) {
      const { op } = this.invoker.resolve(call.integration, call.operation);
      this.invoker.authorize(call.principal, call.integration, op, call.operation);
      try {
        await this.approvals.gate({ ...invocation, ...(onWaiting ? { onWaiting } : {}) });
      } catch (error) {
        if (!isApprovalError(error)) throw error;
        return { ok: false, error, body: error.toJSON(), httpStatus: error.httpStatus };
      }
    }
    return this.invoker.invoke(invocation);
  }
}
