import type { z } from 'zod';
import { invalid, zodIssues } from '../../server/hub-errors.js';

/** The parsed value, or a 400 HubValidationError naming each field at fault. */
export function parseOr400<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  prefix?: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(`Invalid ${what}`, zodIssues(parsed.error.issues, prefix));
  return parsed.data;
}

/** Drops keys whose value is undefined (repositories take absent options, not undefined ones). */
export function defined<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
