const BRAND = Symbol.for('patchbay.SecretError');

/** Stable codes, so callers (CLI exit codes, start-up messages) need no `instanceof`. */
export type SecretErrorCode =
  | 'MASTER_KEY_INVALID'
  | 'KEY_FILE_INVALID'
  | 'KEY_FILE_PERMISSIONS'
  | 'KEY_MISMATCH'
  | 'AUTHENTICATION_FAILED'
  | 'MALFORMED_ENVELOPE';

/**
 * Anything wrong with the master key or an envelope. Messages name keys by id and fields by
 * name; they never hold a key, a plaintext or a ciphertext.
 */
export class SecretError extends Error {
  readonly code: SecretErrorCode;
  declare readonly [BRAND]: true;

  constructor(code: SecretErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  override get name(): string {
    return 'SecretError';
  }
}

/** The envelope's key id is not the configured master key's (nor a previous key's). */
export class SecretKeyMismatchError extends SecretError {
  constructor(
    readonly envelopeKeyId: string,
    readonly configuredKeyId: string,
  ) {
    super(
      'KEY_MISMATCH',
      `secret was encrypted with key ${envelopeKeyId}, the configured master key is ${configuredKeyId}: ` +
        'set PATCHBAY_MASTER_KEY to the old key or run `patchbay secrets rotate`',
    );
  }
}

/** GCM authentication failed: the envelope was altered, or it belongs to another field (AAD). */
export class SecretAuthenticationError extends SecretError {
  constructor(readonly aad: string | undefined) {
    super(
      'AUTHENTICATION_FAILED',
      `secret envelope failed authentication${aad === undefined ? '' : ` for ${aad}`}: ` +
        'it was altered, or it was encrypted for another field',
    );
  }
}

/** True for a {@link SecretError} from any copy of this package. */
export function isSecretError(value: unknown): value is SecretError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}
