/** How a call that needed approval ended without one. */
export type ApprovalErrorType = 'ApprovalDenied' | 'ApprovalTimedOut' | 'ApprovalCancelled';

/** HTTP status of each type, for edges that speak HTTP (REST, the bus's `httpStatus`). */
export const APPROVAL_HTTP_STATUS: Record<ApprovalErrorType, number> = {
  /** A person refused it: the caller may not do this. */
  ApprovalDenied: 403,
  /** Nobody decided in time; the write was not sent. */
  ApprovalTimedOut: 408,
  /** The caller went away (or the hub shut down) while it waited; nginx's "client closed request". */
  ApprovalCancelled: 499,
};

const CODE: Record<ApprovalErrorType, string> = {
  ApprovalDenied: 'APPROVAL_DENIED',
  ApprovalTimedOut: 'APPROVAL_TIMED_OUT',
  ApprovalCancelled: 'APPROVAL_CANCELLED',
};

/** The wire JSON of an {@link ApprovalError}, in the shape of every other typed error. */
export interface ApprovalErrorJson {
  type: ApprovalErrorType;
  message: string;
  /** Always false: the same call would wait for (and likely get) the same answer. */
  retryable: false;
  httpStatus: number;
  code: string;
  approvalId: string;
  integration: string;
  operation: string;
  /** The admin's reason, when they gave one. */
  reason?: string;
}

const BRAND = Symbol.for('patchbay.ApprovalError');

/** A write that needed approval and did not get it; nothing was sent upstream. */
export class ApprovalError extends Error {
  readonly retryable = false;
  declare readonly [BRAND]: true;

  constructor(
    readonly type: ApprovalErrorType,
    message: string,
    readonly approvalId: string,
    readonly integration: string,
    readonly operation: string,
    readonly reason?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  override get name(): string {
    return this.type;
  }

  get httpStatus(): number {
    return APPROVAL_HTTP_STATUS[this.type];
  }

  get code(): string {
    return CODE[this.type];
  }

  toJSON(): ApprovalErrorJson {
    return {
      type: this.type,
      message: this.message,
      retryable: false,
      httpStatus: this.httpStatus,
      code: this.code,
      approvalId: this.approvalId,
      integration: this.integration,
      operation: this.operation,
      ...(this.reason ? { reason: this.reason } : {}),
    };
  }
}

/** True for an {@link ApprovalError}, also from another copy of this package. */
export function isApprovalError(error: unknown): error is ApprovalError {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: true })[BRAND] === true;
}
