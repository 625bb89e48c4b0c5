import type { FieldIssue } from '@patchbay/core';

/** The hub's own error types (the integration errors come from `@patchbay/core`). */
export type HubErrorType =
  | 'HubAuthError'
  | 'HubNotFound'
  | 'HubConflict'
  | 'HubValidationError'
  | 'HubRequestError'
  | 'HubError';

/** The JSON a hub error becomes on the wire, inside `{ "error": … }`. */
export interface HubErrorJson {
  type: HubErrorType;
  message: string;
  retryable: false;
  httpStatus: number;
  code?: string;
  issues?: readonly FieldIssue[];
  requiredScope?: string;
}

/** An error the hub answers itself (auth, unknown route or name, bad request), never an upstream's. */
export class HubError extends Error {
  constructor(
    readonly type: HubErrorType,
    readonly httpStatus: number,
    message: string,
    readonly details: { code?: string; issues?: readonly FieldIssue[]; requiredScope?: string } = {},
  ) {
    super(message);
  }

  override get name(): string {
    return this.type;
  }

  toJSON(): HubErrorJson {
    return {
      type: this.type,
      message: this.message,
      retryable: false,
      httpStatus: this.httpStatus,
      ...this.details,
    };
  }
}

/** 401: no token, or one the hub does not know (or revoked). */
export const unauthenticated = (message: string): HubError =>
  new HubError('HubAuthError', 401, message, { code: 'UNAUTHENTICATED' });

/** 403: a known token without the scope (or integration) the route needs. */
export const forbidden = (message: string, requiredScope?: string): HubError =>
  new HubError('HubAuthError', 403, message, {
    code: 'FORBIDDEN',
    ...(requiredScope ? { requiredScope } : {}),
  });

export const notFound = (message: string): HubError =>
  new HubError('HubNotFound', 404, message, { code: 'NOT_FOUND' });

/** 409: the thing exists but its state forbids the request (a dead letter already replayed). */
export const conflict = (message: string): HubError =>
  new HubError('HubConflict', 409, message, { code: 'CONFLICT' });

/** 400 with the fields at fault. */
export const invalid = (message: string, issues: readonly FieldIssue[]): HubError =>
  new HubError('HubValidationError', 400, message, { code: 'INVALID_INPUT', issues });

/** Field issues from a zod error, paths joined with dots, values never quoted. */
export function zodIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix?: string,
): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => String(p)).join('.');
    return { path: prefix ? (path ? `${prefix}.${path}` : prefix) : path, message: issue.message };
  });
}
