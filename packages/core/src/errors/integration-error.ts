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
  /** The vendor's own error code (`channel_not_found`, `RecordInvalid`), for callers that branch on it. */
  vendorCode?: string;
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
  vendorCode?: string;
}

export class IntegrationError extends Error {
  /** Each subclass names its type once, here; instances read it in the constructor. */
  static readonly TYPE: ErrorType = 'IntegrationError';
  readonly type: ErrorType;
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
  readonly vendorCode: string | undefined;
  attempts: number | undefined;
  /**
   * The idempotency key the failed request carried (set by the client), so a dead-lettered write
   * can be replayed with the very key its first attempt sent.
   */
  idempotencyKey: string | undefined;
  declare readonly [BRAND]: true;

  constructor(message: string, details: IntegrationErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.type = (new.target as typeof IntegrationError).TYPE;
    this.retryable = details.retryable ?? RETRYABLE_BY_TYPE[this.type];
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
    this.vendorCode = details.vendorCode;
    this.attempts = details.attempts;
    Object.defineProperty(this, BRAND, { value: true });
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
    if (this.vendorCode !== undefined) json.vendorCode = this.vendorCode;
    return json;
  }
}

/** Input (or config) failed its schema; `issues` name the fields. Answered before any network call. */
export class IntegrationValidationError extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationValidationError';
}

export class IntegrationDisabled extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationDisabled';
}

export class IntegrationNotConfigured extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationNotConfigured';
}

export class IntegrationAuthError extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationAuthError';
}

export class IntegrationRateLimited extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationRateLimited';
}

export class IntegrationTemporaryError extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationTemporaryError';
}

export class IntegrationPermanentError extends IntegrationError {
  static override readonly TYPE: ErrorType = 'IntegrationPermanentError';
}

/** A timeout is temporary: the same call may well succeed. `code` says which clock ran out. */
export class IntegrationTimeoutError extends IntegrationTemporaryError {
  static override readonly TYPE: ErrorType = 'IntegrationTimeoutError';
}

/** The breaker is open: answered without touching the network. */
export class CircuitOpenError extends IntegrationTemporaryError {
  static override readonly TYPE: ErrorType = 'CircuitOpenError';
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

/** Everything an error carries besides its message and type, to build another error from it. */
export function integrationErrorDetails(error: IntegrationError): IntegrationErrorDetails {
  const details: IntegrationErrorDetails = {};
  const copy = <K extends keyof IntegrationErrorDetails>(
    key: K,
    value: IntegrationErrorDetails[K] | undefined,
  ) => {
    if (value !== undefined) details[key] = value;
  };
  copy('integration', error.integration);
  copy('operation', error.operation);
  copy('status', error.status);
  copy('retryAfter', error.retryAfter);
  copy('retryAfterMs', error.retryAfterMs);
  copy('code', error.code);
  copy('method', error.method);
  copy('url', error.url);
  copy('body', error.body);
  copy('requestSent', error.requestSent);
  copy('retryable', error.retryable);
  copy('attempts', error.attempts);
  copy('issues', error.issues);
  copy('vendorCode', error.vendorCode);
  return details;
}

/**
 * The same failure in the vendor's own words: a new error of the same class (or of `as`), with
 * every detail kept (status, URL, attempts, retry-after) and `extra` on top. Connectors use it to
 * replace "HTTP 422" with what the vendor said and which fields it refused.
 * @example throw rewordError(error, `Zendesk RecordInvalid (HTTP 422): ${said}`, { issues });
 */
export function rewordError(
  error: IntegrationError,
  message: string,
  extra: Partial<IntegrationErrorDetails> = {},
  as?: new (message: string, details: IntegrationErrorDetails) => IntegrationError,
): IntegrationError {
  const Type =
    as ?? (error.constructor as new (message: string, details: IntegrationErrorDetails) => IntegrationError);
  const details = { ...integrationErrorDetails(error), ...extra };
  if (as) delete details.retryable; // the new class decides
  const reworded = new Type(message, details);
  reworded.attempts = error.attempts;
  reworded.idempotencyKey = error.idempotencyKey;
  return reworded;
}
