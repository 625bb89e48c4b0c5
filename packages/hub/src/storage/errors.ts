/**
 * An optimistic-concurrency write lost: the row's version was not the one the caller read.
 * Detect with {@link isVersionConflict} (two copies of the package can meet).
 */
export class VersionConflictError extends Error {
  readonly type = 'VersionConflict' as const;
  constructor(
    readonly entity: string,
    readonly key: string,
    readonly expected: number,
    /** The version now stored, or `undefined` when the row does not exist. */
    readonly actual: number | undefined,
  ) {
    super(
      `${entity} ${JSON.stringify(key)}: expected version ${expected}, found ${actual === undefined ? 'none' : actual}`,
    );
    this.name = 'VersionConflictError';
  }
}

export function isVersionConflict(error: unknown): error is VersionConflictError {
  return (
    typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'VersionConflict'
  );
}
