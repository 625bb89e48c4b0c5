import type { JsonSchema } from './json-schema.js';

/** Keywords whose value is one subschema. */
export const SINGLE_SUBSCHEMA = [
  'additionalProperties',
  'items',
  'not',
  'if',
  'then',
  'else',
  'contains',
] as const;
/** Keywords whose value is a list of subschemas. */
export const LIST_SUBSCHEMA = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
/** Keywords whose value maps names to subschemas. */
export const MAP_SUBSCHEMA = ['properties', 'patternProperties', '$defs', 'definitions'] as const;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema a local `$ref` points at (`#`, `#/$defs/item`, `#/properties/a/items`), or
 * `undefined` when it is not local or points nowhere. Remote and anchor refs are not followed:
 * a tool definition must stand on its own.
 */
export function resolvePointer(root: JsonSchema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Every subschema directly under `schema`, wherever a keyword holds one. */
export function childSchemas(schema: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const key of SINGLE_SUBSCHEMA) if (key in schema) out.push(schema[key]);
  for (const key of LIST_SUBSCHEMA) {
    const list = schema[key];
    if (Array.isArray(list)) out.push(...list);
  }
  // Draft-4 tuples: `items` as a list.
  if (Array.isArray(schema.items)) out.push(...schema.items);
  for (const key of MAP_SUBSCHEMA) {
    if (key === '$defs' || key === 'definitions') continue; // reached through the refs that use them
    const map = schema[key];
    if (isObject(map)) out.push(...Object.values(map));
  }
  return out;
}

/**
 * The local `$ref` targets that lie on a cycle (a schema that contains itself: a tree, a
 * comment thread). These stay references; every other reference can be inlined.
 */
export function recursiveRefs(root: JsonSchema): Set<string> {
  const recursive = new Set<string>();
  const state = new Map<string, 'active' | 'done'>();
  const visitRef = (ref: string): void => {
    const seen = state.get(ref);
    if (seen === 'active') recursive.add(ref);
    if (seen !== undefined) return;
    state.set(ref, 'active');
    walk(resolvePointer(root, ref));
    state.set(ref, 'done');
  };
  const walk = (schema: unknown): void => {
    if (!isObject(schema)) return;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) visitRef(schema.$ref);
    for (const child of childSchemas(schema)) walk(child);
  };
  visitRef('#');
  return recursive;
}
