// Approvals: writes an agent asks for that wait for an admin's decision.

export {
  ApprovalError,
  type ApprovalErrorJson,
  type ApprovalErrorType,
  isApprovalError,
} from './approval-error.js';
export { type ApprovalRouteDeps, registerApprovalRoutes } from './approval-routes.js';
export {
  type ApprovalListQuery,
  ApprovalService,
  type ApprovalServiceOptions,
  GATED_CHANNELS,
  type GateCall,
} from './approval-service.js';
export {
  APPROVAL_SETTINGS,
  type ApprovalSettings,
  ApprovalSettingsSchema,
  parseApprovalSettings,
} from './approval-settings.js';
export type { ApprovalPreview, ApprovalView } from './approval-view.js';
export { type GatedInvocation, GatedInvoker, type GatedOutcome } from './gated-invoker.js';
