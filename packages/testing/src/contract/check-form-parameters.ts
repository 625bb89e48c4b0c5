import type { Credentials } from './credentials.js';
import { isJsonMediaType } from './media-types.js';
import type { ParameterSpec } from './operations.js';
import { checkParameterValues } from './parameter-values.js';
import type { SchemaValidators } from './schema-validators.js';

/**
 * Swagger 2 `in: formData` parameters, for a form body or a JSON body's top-level fields.
 *
 * Leniency: Slack's description documents only form fields, yet Slack accepts a JSON body (with a
 * bearer token) for its write methods, so a JSON body's top-level fields are checked as those form
 * fields, with their JSON types (no coercion). Fields the form carries as JSON-encoded strings
 * (`blocks`, `attachments`) travel as real arrays and objects in JSON, so an array or object where a
 * string is documented is accepted.
 */
export function checkFormParameters(
  parameters: ParameterSpec[],
  body: unknown,
  contentType: string | undefined,
  credentials: Credentials,
  validators: SchemaValidators,
): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return ['request body must be a form or a JSON object of the documented form fields'];
  }
  const fields = body as Record<string, unknown>;
  const isJson = contentType ? isJsonMediaType(contentType) : !Object.values(fields).every(isFormValue);
  const place = isJson ? 'request body field' : 'form parameter';
  const problems: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const parameter = parameters.find((candidate) => candidate.name === name);
    if (!parameter) {
      if (!credentials.names.has(name)) problems.push(`${place} "${name}" is not documented`);
    } else if (!isJson) {
      const values = Array.isArray(value) ? value.map(String) : [String(value)];
      problems.push(...checkParameterValues(parameter, 'form parameter', values, validators));
    } else if (!(isStructured(value) && documentsString(parameter))) {
      const found = validators.check(parameter.schema, value, { direction: 'request' });
      problems.push(...found.map((problem) => `${place} "${name}": ${problem}`));
    }
  }
  for (const parameter of parameters) {
    if (!parameter.required || parameter.name in fields || credentials.satisfies(parameter)) continue;
    problems.push(`required ${place} "${parameter.name}" is missing`);
  }
  return problems;
}

function documentsString(parameter: ParameterSpec): boolean {
  return (parameter.schema as { type?: unknown }).type === 'string';
}

function isStructured(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function isFormValue(value: unknown): boolean {
  return (
    typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}
