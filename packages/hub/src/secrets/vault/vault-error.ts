const BRAND = Symbol.for('patchbay.VaultError');

export type VaultErrorCode =
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'FIELD_MISSING'
  | 'UNAVAILABLE'
  | 'BAD_RESPONSE'
  | 'BAD_REFERENCE';

/** A Vault read that failed. Names the path and field, never the token or a value. */
export class VaultError extends Error {
  declare readonly [BRAND]: true;

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly path: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  override get name(): string {
    return 'VaultError';
  }
}

export function isVaultError(value: unknown): value is VaultError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}
