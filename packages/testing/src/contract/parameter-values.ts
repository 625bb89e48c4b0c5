import type { ParameterSpec } from './operations.js';
import type { SchemaValidators } from './schema-validators.js';

/** Where a parameter was sent, as problems name it. */
export type ParameterPlace = 'query parameter' | 'path parameter' | 'header' | 'form parameter';

/**
 * Problems with the raw string values of one parameter ([] when they conform): strings are coerced
 * to the documented type (`'30'` → `30`, `'true'` → `true`), and arrays read per the parameter's
 * style (repeated, or split on its separator).
 *
 * Leniency: an exploded array (`?labels=a&labels=b` in OpenAPI 3) also accepts one comma-separated
 * value (`?labels=a,b`), since Jira documents its list parameters as exploded arrays while it and its
 * clients use comma lists.
 */
export function checkParameterValues(
  spec: ParameterSpec,
  place: ParameterPlace,
  raw: string[],
  validators: SchemaValidators,
): string[] {
  const subject = `${place} "${spec.name}"`;
  if (!spec.isArray && raw.length > 1) return [`${subject} is given ${raw.length} times but is not a list`];
  if (spec.serializedJson) return checkSerializedJson(spec, subject, raw.at(-1) ?? '', validators);
  const value = spec.isArray ? listOf(spec, raw) : raw[0];
  return validators.check(spec.schema, value, { coerce: true }).map((problem) => `${subject}: ${problem}`);
}

function checkSerializedJson(
  spec: ParameterSpec,
  subject: string,
  raw: string,
  validators: SchemaValidators,
): string[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [`${subject}: must be JSON, as documented`];
  }
  return validators.check(spec.schema, value).map((problem) => `${subject}: ${problem}`);
}

function listOf(spec: ParameterSpec, raw: string[]): string[] {
  const separator = spec.delimiter ?? (raw.length === 1 ? ',' : undefined);
  if (separator === undefined) return raw;
  return raw.flatMap((value) => (value === '' ? [] : value.split(separator)));
}
