import type { FieldIssue } from '@patchbay/core';
import { z } from 'zod';
import type { JsonSchema } from './json-schema.js';
import { isObject } from './schema-refs.js';

/** The JSON Schema keywords a custom tool's `parameters_schema` may use. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'description',
  'title',
  'default',
  'examples',
  'deprecated',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'anyOf',
  'oneOf',
  'allOf',
  '$ref',
  '$defs',
]);

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
/** Portable to every provider (Gemini's rule for parameter names). */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_DEPTH = 10;
const MAX_BYTES = 32_768;

/**
 * Checks a custom tool's parameter schema and compiles it into the zod schema that validates
 * the tool's input (zod's `fromJSONSchema`). The schema must be a JSON object schema whose
 * top-level property names work for every provider, with the keywords of
 * {@link SUPPORTED_KEYWORDS}, local `$ref`s into `$defs`, compilable patterns, at most 10 levels
 * deep and 32 KiB. Issues are reported as `parameters_schema.<path>`.
 */
export function compileParametersSchema(schema: JsonSchema): { input?: z.ZodType; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const at = (path: string) => (path === '' ? 'parameters_schema' : `parameters_schema.${path}`);
  if (JSON.stringify(schema).length > MAX_BYTES) {
    return { issues: [{ path: at(''), message: `is larger than ${MAX_BYTES} bytes` }] };
  }
  if (schema.type !== 'object')
    issues.push({ path: at('type'), message: "must be 'object' (a tool takes named parameters)" });
  const defs = isObject(schema.$defs) ? schema.$defs : {};
  for (const name of Object.keys(isObject(schema.properties) ? schema.properties : {})) {
    if (!PARAMETER_NAME.test(name)) {
      issues.push({
        path: at(`properties.${name}`),
        message: 'must be letters, digits and _, starting with a letter or _, at most 64',
      });
    }
  }
  const walk = (node: unknown, path: string, depth: number): void => {
    if (typeof node === 'boolean') return;
    if (!isObject(node)) return void issues.push({ path: at(path), message: 'must be a schema (an object)' });
    if (depth > MAX_DEPTH)
      return void issues.push({ path: at(path), message: `nests deeper than ${MAX_DEPTH} levels` });
    const here = (key: string) => (path === '' ? key : `${path}.${key}`);
    for (const key of Object.keys(node)) {
      if (key === '$schema' && path === '') continue;
      if (!SUPPORTED_KEYWORDS.has(key))
        issues.push({ path: at(here(key)), message: 'is not a supported keyword' });
    }
    const types =
      typeof node.type === 'string'
        ? [node.type]
        : Array.isArray(node.type)
          ? node.type
          : node.type === undefined
            ? []
            : [node.type];
    for (const type of types)
      if (typeof type !== 'string' || !TYPES.has(type))
        issues.push({ path: at(here('type')), message: `${String(type)} is not a JSON type` });
    if (typeof node.$ref === 'string' && !(node.$ref.startsWith('#/$defs/') && node.$ref.slice(8) in defs)) {
      issues.push({
        path: at(here('$ref')),
        message: "must point into this schema's $defs (#/$defs/<name>)",
      });
    }
    if (node.pattern !== undefined) {
      try {
        new RegExp(String(node.pattern), 'u');
      } catch {
        issues.push({ path: at(here('pattern')), message: 'is not a valid regular expression' });
      }
    }
    if (node.required !== undefined) {
      const names = Array.isArray(node.required) ? node.required : [];
      const declared = isObject(node.properties) ? node.properties : {};
      if (!Array.isArray(node.required))
        issues.push({ path: at(here('required')), message: 'must be a list of property names' });
      names.forEach((name, i) => {
        if (typeof name !== 'string' || !(name in declared)) {
          issues.push({
            path: at(here(`required.${i}`)),
            message: `${String(name)} is not one of the properties`,
          });
        }
      });
    }
    for (const key of ['properties', '$defs'] as const) {
      const map = node[key];
      if (map === undefined) continue;
      if (!isObject(map)) issues.push({ path: at(here(key)), message: 'must be an object of schemas' });
      else for (const [name, child] of Object.entries(map)) walk(child, here(`${key}.${name}`), depth + 1);
    }
    for (const key of ['items', 'additionalProperties'] as const)
      if (key in node) walk(node[key], here(key), depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = node[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length === 0)
        issues.push({ path: at(here(key)), message: 'must be a non-empty list of schemas' });
      else for (const [i, child] of list.entries()) walk(child, here(`${key}.${i}`), depth + 1);
    }
  };
  walk(schema, '', 0);
  if (issues.length > 0) return { issues };
  try {
    return { input: z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]), issues };
  } catch (error) {
    return {
      issues: [
        {
          path: at(''),
          message: `cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}

/** The JSON type names a property schema allows at its top (`[]` when it does not say). */
export function propertyTypes(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (Array.isArray(schema.enum))
    return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}
