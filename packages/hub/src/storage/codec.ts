/** Row-value conversions shared by the repositories; see schema.ts for why they exist. */

/** A boolean as written to either dialect. */
export function toDbBool(value: boolean): number {
  return value ? 1 : 0;
}

/** A boolean column as read from either dialect (`true`/`false` or `1`/`0`). */
export function fromDbBool(value: boolean | number): boolean {
  return value === true || value === 1;
}

export function fromDbNullableBool(value: boolean | number | null): boolean | null {
  return value === null ? null : fromDbBool(value);
}

export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Keyset-paging limits: a caller's limit, clamped. */
export function pageLimit(limit: number | undefined, fallback = 50, max = 1000): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(Math.trunc(limit), 1), max);
}
