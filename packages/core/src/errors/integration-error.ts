import {
  type ErrorCode,
  type ErrorType,
  HTTP_STATUS_BY_TYPE,
  OUTCOME_BY_TYPE,
  type Outcome,
  RETRYABLE_BY_TYPE,
} from './error-types.js';

/** Brand shared by every copy of this package, so guards work when two copies meet. */
const BRAND = Symbol.for('patchbay.IntegrationError');

/** What an error knows about the call that failed. Every string here is already redacted. */
export interface IntegrationErrorDetails {
  integration?: string;
  operation?: string;
  /** HTTP status of the upstream response, when there was one. */
  status?: number;
  /** Seconds the upstream asked us to wait (`Retry-After`), when it said so. */
  retryAfter?: number;
  /** The same wait in milliseconds, as precise as the header allowed (HTTP-dates are). */
  retryAfterMs?: number;
  code?: ErrorCode;
  method?: string;
  /** Redacted URL of the request. */
  url?: string;
  /** Response body, redacted then truncated to 500 characters. */
  body?: string;
  /** False when the request certainly never reached the server (connect failed). */
  requestSent?: boolean;
  retryable?: boolean;
  attempts?: number;
  /** For invalid input or config: which fields, and what is wrong with each (never their values). */
  issues?: readonly FieldIssue[];
  cause?: unknown;
}

/** One problem with one field, named by its path (`labels.0`, `config.token`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The JSON an error becomes on the hub's wire, inside `{ "error": … }`. */
export interface IntegrationErrorJson {
  type: ErrorType;
  message: string;
  retryable: boolean;
  code?: ErrorCode;
  status?: number;
  retryAfter?: number;
  integration?: string;
  operation?: string;
  issues?: readonly FieldIssue[];
}

export class IntegrationError extends Error {
  readonly type: ErrorType = 'IntegrationError';
  readonly retryable: boolean;
  readonly integration: string | undefined;
  readonly operation: string | undefined;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  retryAfterMs: number | undefined;
  readonly code: ErrorCode | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly body: string | undefined;
  readonly requestSent: boolean | undefined;
  readonly issues: readonly FieldIssue[] | undefined;
  attempts: number | undefined;
  declare readonly [BRAND]: true;

  constructor(message: string, details: IntegrationErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.retryable = details.retryable ?? RETRYABLE_BY_TYPE[this.defaultType()];
    this.integration = details.integration;
    this.operation = details.operation;
    this.status = details.status;
    this.retryAfter = details.retryAfter;
    this.retryAfterMs =
      details.retryAfterMs ?? (details.retryAfter === undefined ? undefined : details.retryAfter * 1000);
    this.code = details.code;
    this.method = details.method;
    this.url = details.url;
    this.body = details.body;
    this.requestSent = details.requestSent;
    this.issues = details.issues;
    this.attempts = details.attempts;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Subclasses set `type` as a field initialiser, which runs after `super()`; this is its twin for the constructor. */
  protected defaultType(): ErrorType {
    return 'IntegrationError';
  }

  override get name(): string {
    return this.type;
  }

  /** HTTP status the hub answers with. */
  get httpStatus(): number {
    return HTTP_STATUS_BY_TYPE[this.type];
  }

  get outcome(): Outcome {
    return OUTCOME_BY_TYPE[this.type];
  }

  toJSON(): IntegrationErrorJson {
    const json: IntegrationErrorJson = { type: this.type, message: this.message, retryable: this.retryable };
    if (this.code !== undefined) json.code = this.code;
    if (this.status !== undefined) json.status = this.status;
    if (this.retryAfter !== undefined) json.retryAfter = this.retryAfter;
    if (this.integration !== undefined) json.integration = this.integration;
    if (this.operation !== undefined) json.operation = this.operation;
    if (this.issues !== undefined) json.issues = this.issues;
    return json;
  }
}

/** Input (or config) failed its schema; `issues` name the fields. Answered before any network call. */
export class IntegrationValidationError extends IntegrationError {
  override readonly type = 'IntegrationValidationError';
  protected override defaultType(): ErrorType {
    return 'IntegrationValidationError';
  }
}

export class IntegrationDisabled extends IntegrationError {
  override readonly type = 'IntegrationDisabled';
  protected override defaultType(): ErrorType {
    return 'IntegrationDisabled';
  }
}

export class IntegrationNotConfigured extends IntegrationError {
  override readonly type = 'IntegrationNotConfigured';
  protected override defaultType(): ErrorType {
    return 'IntegrationNotConfigured';
  }
}

export class IntegrationAuthError extends IntegrationError {
  override readonly type = 'IntegrationAuthError';
  protected override defaultType(): ErrorType {
    return 'IntegrationAuthError';
  }
}

export class IntegrationRateLimited extends IntegrationError {
  override readonly type = 'IntegrationRateLimited';
  protected override defaultType(): ErrorType {
    return 'IntegrationRateLimited';
  }
}

export class IntegrationTemporaryError extends IntegrationError {
  override readonly type: ErrorType = 'IntegrationTemporaryError';
  protected override defaultType(): ErrorType {
    return 'IntegrationTemporaryError';
  }
}

export class IntegrationPermanentError extends IntegrationError {
  override readonly type = 'IntegrationPermanentError';
  protected override defaultType(): ErrorType {
    return 'IntegrationPermanentError';
  }
}

/** A timeout is temporary: the same call may well succeed. `code` says which clock ran out. */
export class IntegrationTimeoutError extends IntegrationTemporaryError {
  override readonly type = 'IntegrationTimeoutError';
  protected override defaultType(): ErrorType {
    return 'IntegrationTimeoutError';
  }
}

/** The breaker is open: answered without touching the network. */
export class CircuitOpenError extends IntegrationTemporaryError {
  override readonly type = 'CircuitOpenError';
  protected override defaultType(): ErrorType {
    return 'CircuitOpenError';
  }
}

/** True for an IntegrationError from any copy of this package. */
export function isIntegrationError(value: unknown): value is IntegrationError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** True when `value` is an IntegrationError of the given type (from any copy of this package). */
export function isErrorType<T extends ErrorType>(
  value: unknown,
  type: T,
): value is IntegrationError & { type: T } {
  return isIntegrationError(value) && value.type === type;
}
