import type { DryRunRequest } from '@patchbay/core';
import type { ApprovalRecord, ApprovalStatus } from '../storage/index.js';
import { toolName } from '../tools/tool-catalog.js';

/** What the dry run made of the call before it was put up for approval. */
export type ApprovalPreview = { request: DryRunRequest | null } | { error: Record<string, unknown> };

/** An approval as the API shows it. Times are epoch milliseconds. */
export interface ApprovalView {
  id: string;
  /** `pending` past its deadline (its caller died before it could say so) shows as `expired`. */
  status: ApprovalStatus;
  /** The MCP tool / bus tool name of the call. */
  tool: string;
  integration: string;
  operation: string;
  channel: string;
  requestId: string | null;
  /** The token that made the call; null for a local command (stdio without a token). */
  requestedBy: { tokenId: string; name: string | null } | null;
  /** The input, secrets redacted. */
  input: unknown;
  /** The write the call would send, secrets redacted (`null` when it sends none). */
  request: DryRunRequest | null;
  /** Why no request could be shown (the dry run's reads failed), when that happened. */
  previewError?: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  decidedAt: number | null;
  decidedBy: { tokenId: string; name: string | null } | null;
  reason: string | null;
}

export function approvalView(record: ApprovalRecord, now: number): ApprovalView {
  const preview = record.preview as ApprovalPreview | null;
  const status = record.status === 'pending' && record.expiresAt <= now ? 'expired' : record.status;
  return {
    id: record.id,
    status,
    tool: toolName(record.integration, record.operation),
    integration: record.integration,
    operation: record.operation,
    channel: record.channel,
    requestId: record.requestId,
    requestedBy: record.requestedBy ? { tokenId: record.requestedBy, name: record.requestedByName } : null,
    input: record.input,
    request: preview && 'request' in preview ? preview.request : null,
    ...(preview && 'error' in preview ? { previewError: preview.error } : {}),
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    decidedAt: record.decidedAt,
    decidedBy: record.decidedBy ? { tokenId: record.decidedBy, name: record.decidedByName } : null,
    reason: record.reason,
  };
}
