import type { JsonSchema } from './json-schema.js';
import { isObject, resolvePointer } from './schema-refs.js';

const typeList = (type: unknown): string[] | undefined =>
  typeof type === 'string'
    ? [type]
    : Array.isArray(type)
      ? type.filter((t) => typeof t === 'string')
      : undefined;

/**
 * Both schemas at once, as one schema (what `allOf` asks for): properties and `required` are
 * joined (a property in both becomes the `allOf` of its two schemas), types and enums
 * intersected; for any other keyword the first schema's value stands.
 */
export function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (!(key in out)) {
      out[key] = value;
      continue;
    }
    const mine = out[key];
    if (key === 'properties' && isObject(mine) && isObject(value)) {
      const properties: Record<string, unknown> = { ...mine };
      for (const [name, schema] of Object.entries(value)) {
        properties[name] = name in properties ? { allOf: [properties[name], schema] } : schema;
      }
      out.properties = properties;
    } else if (key === 'required' && Array.isArray(mine) && Array.isArray(value)) {
      out.required = [...new Set([...mine, ...value])];
    } else if (key === 'type') {
      const left = typeList(mine) ?? [];
      const right = new Set(typeList(value) ?? []);
      // `integer` is a `number`: their intersection is `integer`.
      const both = left.flatMap((t) =>
        right.has(t)
          ? [t]
          : t === 'number' && right.has('integer')
            ? ['integer']
            : t === 'integer' && right.has('number')
              ? ['integer']
              : [],
      );
      if (both.length > 0) out.type = both.length === 1 ? both[0] : both;
    } else if (key === 'enum' && Array.isArray(mine) && Array.isArray(value)) {
      const right = value.map((v) => JSON.stringify(v));
      out.enum = mine.filter((v) => right.includes(JSON.stringify(v)));
    } else if (key === 'allOf' && Array.isArray(mine) && Array.isArray(value)) {
      out.allOf = [...mine, ...value];
    }
  }
  return out;
}

/** A part of an `allOf`, with a (non-recursive) `$ref` replaced by what it points at. */
function resolvedPart(root: JsonSchema, part: unknown, recursive: ReadonlySet<string>): JsonSchema {
  let current = part;
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    const { $ref, ...siblings } = current;
    if (recursive.has($ref as string)) return siblings;
    const target = resolvePointer(root, $ref as string);
    current = { ...(isObject(target) ? target : {}), ...siblings };
  }
  return isObject(current) ? current : {};
}

/** The schema with its `allOf` (nested ones too) merged into it. */
export function mergeAllOf(root: JsonSchema, schema: JsonSchema, recursive: ReadonlySet<string>): JsonSchema {
  let current = schema;
  for (let rounds = 0; rounds < 16 && Array.isArray(current.allOf); rounds++) {
    const { allOf, ...rest } = current;
    current = (allOf as unknown[]).reduce<JsonSchema>(
      (merged, part) => mergeSchemas(merged, resolvedPart(root, part, recursive)),
      rest,
    );
  }
  if (Array.isArray(current.allOf)) {
    const { allOf: _unmerged, ...rest } = current;
    return rest;
  }
  return current;
}
