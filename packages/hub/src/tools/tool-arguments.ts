import type { JsonSchema } from './json-schema.js';
import { rootObject } from './root-object.js';
import { acceptsNull, type SchemaIR, type SchemaNode } from './schema-ir.js';
import { readSchema } from './schema-reader.js';

const cache = new WeakMap<JsonSchema, SchemaIR>();

/**
 * Arguments a provider's model produced from our provider-shaped definitions, put back into the
 * shape the tool's own input schema takes:
 * - OpenAI strict mode makes every optional property nullable, so the model sends `null` for one
 *   it leaves out: such a `null` is dropped where the property is optional and does not accept
 *   `null` (a `null` the schema allows, or one for a required property, is left for validation);
 * - Gemini has no way to say "an object with any keys" (or "any value"), so it is asked for as JSON
 *   text: a string where the schema wants an object or array (and not a string) is parsed.
 * Anything else is left as it is, for validation to accept or to name.
 * @example
 * normalizeToolArguments({ title: 'x', labels: null }, schema) // { title: 'x' } when labels is optional
 */
export function normalizeToolArguments(input: unknown, inputSchema: JsonSchema): unknown {
  let ir = cache.get(inputSchema);
  if (!ir) {
    ir = readSchema(inputSchema);
    cache.set(inputSchema, ir);
  }
  return normalize(input, rootObject(ir.root), ir, 0);
}

function normalize(value: unknown, node: SchemaNode, ir: SchemaIR, depth: number): unknown {
  if (depth > 48) return value;
  const target = node.kind === 'ref' ? ir.defs.get(node.target) : node;
  if (!target) return value;
  if (typeof value === 'string' && wantsStructure(target) && !acceptsString(target)) {
    const parsed = parseStructure(value);
    return parsed === undefined ? value : normalize(parsed, target, ir, depth + 1);
  }
  if (target.kind === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const child =
        target.properties.find(([name]) => name === key)?.[1] ??
        (typeof target.additional === 'object' ? target.additional : undefined);
      if (item === null && child && !acceptsNull(child) && !target.required.includes(key)) continue;
      out[key] = child ? normalize(item, child, ir, depth + 1) : item;
    }
    return out;
  }
  if (target.kind === 'array' && Array.isArray(value)) {
    return value.map((item) => normalize(item, target.items, ir, depth + 1));
  }
  if (target.kind === 'union' && (isPlainObject(value) || Array.isArray(value))) {
    // Only when one branch can hold it: dropping a null for the wrong branch would change the value.
    const branches = target.options.filter((o) =>
      Array.isArray(value) ? o.kind === 'array' : o.kind === 'object',
    );
    return branches.length === 1 ? normalize(value, branches[0] as SchemaNode, ir, depth + 1) : value;
  }
  return value;
}

function wantsStructure(node: SchemaNode): boolean {
  if (node.kind === 'object' || node.kind === 'array') return true;
  return node.kind === 'union' && node.options.some(wantsStructure);
}

function acceptsString(node: SchemaNode): boolean {
  if (node.kind === 'string' || node.kind === 'any') return true;
  return node.kind === 'union' && node.options.some(acceptsString);
}

function parseStructure(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
