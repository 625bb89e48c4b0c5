import type { JsonSchema } from './json-schema.js';
import { rootObject } from './root-object.js';
import { acceptsNull, forEachNode, type SchemaIR, type SchemaNode } from './schema-ir.js';
import { readSchema } from './schema-reader.js';
import { describe, isPortablePattern, splitConstraints } from './schema-text.js';
import { standardSchema } from './standard-schema.js';

/** A tool as OpenAI's Chat Completions `tools` take it. */
export interface OpenAiFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema; strict: boolean };
}

/** String formats strict mode accepts. */
export const OPENAI_STRICT_FORMATS: ReadonlySet<string> = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

/** Value keywords strict mode accepts, by type; the rest are said in the description. */
const STRICT_KEYWORDS: Record<string, ReadonlySet<string>> = {
  string: new Set(['pattern', 'format']),
  number: new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']),
  integer: new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']),
  array: new Set(['minItems', 'maxItems']),
};

/** Structured Outputs' limits on one schema. */
export const OPENAI_STRICT_LIMITS = { depth: 10, properties: 5000, enumValues: 1000 } as const;

/** Thrown inside the strict walk when the input cannot be said in strict mode. */
class NotStrict extends Error {}

/**
 * A tool input as OpenAI function parameters, in strict mode whenever the input can be said in
 * it: every object closed (`additionalProperties: false`) with every property required, an
 * optional property made nullable (the hub drops a `null` it did not ask for, see
 * `normalizeToolArguments`), unsupported keywords and defaults said in the description, string
 * formats limited to the supported ones. An input strict mode cannot hold (free-form values,
 * records with arbitrary keys, past the size limits) is given as plain JSON Schema with
 * `strict: false`, rather than changed into something else.
 */
export function openAiParameters(inputSchema: JsonSchema): { parameters: JsonSchema; strict: boolean } {
  const ir = readSchema(inputSchema);
  if (withinLimits(ir)) {
    try {
      return { parameters: strictSchema(ir), strict: true };
    } catch (error) {
      if (!(error instanceof NotStrict)) throw error;
    }
  }
  return { parameters: standardSchema(ir), strict: false };
}

function strictSchema(ir: SchemaIR): JsonSchema {
  // The root is closed even when it declares nothing: an operation without input takes `{}`.
  const root = strictNode(rootObject(ir.root), false, true);
  if (ir.defs.size > 0) {
    root.$defs = Object.fromEntries([...ir.defs].map(([name, node]) => [name, strictNode(node, false)]));
  }
  return root;
}

function strictNode(node: SchemaNode, optional: boolean, root = false): JsonSchema {
  const nullable = node.meta.nullable || (optional && !acceptsNull(node));
  const keep = STRICT_KEYWORDS[node.kind];
  const { kept, dropped } = splitConstraints(
    node.meta.constraints,
    (key, value) =>
      keep?.has(key) === true &&
      (key !== 'format' || OPENAI_STRICT_FORMATS.has(String(value))) &&
      (key !== 'pattern' || isPortablePattern(value)),
  );
  const description = describe(node.meta, { dropped, defaultInText: true, titleInText: true });
  const annotations: JsonSchema = description === undefined ? {} : { description };
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean': {
      const schema: JsonSchema = { type: nullable ? [node.kind, 'null'] : node.kind, ...kept };
      if (node.enum !== undefined) schema.enum = nullable ? [...node.enum, null] : node.enum;
      return { ...schema, ...annotations };
    }
    case 'null':
      return { type: 'null', ...annotations };
    case 'any':
      throw new NotStrict('a free-form value');
    case 'ref':
      return withNull({ $ref: `#/$defs/${node.target}` }, nullable, annotations);
    case 'union': {
      const options = node.options.map((option) => strictNode(option, false));
      if (nullable) options.push({ type: 'null' });
      return { anyOf: options, ...annotations };
    }
    case 'array':
      return withNull(
        { type: 'array', items: strictNode(node.items, false), ...kept },
        nullable,
        annotations,
      );
    case 'object': {
      if (typeof node.additional === 'object') throw new NotStrict('a record with arbitrary keys');
      if (node.additional === true && node.properties.length === 0 && !root) {
        throw new NotStrict('a free-form object');
      }
      const schema: JsonSchema = {
        type: 'object',
        properties: Object.fromEntries(
          node.properties.map(([name, child]) => [name, strictNode(child, !node.required.includes(name))]),
        ),
        required: node.properties.map(([name]) => name),
        additionalProperties: false,
      };
      return withNull(schema, nullable, annotations);
    }
  }
}

function withNull(schema: JsonSchema, nullable: boolean, annotations: JsonSchema): JsonSchema {
  return nullable ? { anyOf: [schema, { type: 'null' }], ...annotations } : { ...schema, ...annotations };
}

function withinLimits(ir: SchemaIR): boolean {
  let properties = 0;
  let enumValues = 0;
  let deepest = 0;
  forEachNode(ir, (node, depth) => {
    if (node.kind === 'object') {
      properties += node.properties.length;
      deepest = Math.max(deepest, depth + 1);
    }
    if ('enum' in node && node.enum) enumValues += node.enum.length;
  });
  return (
    properties <= OPENAI_STRICT_LIMITS.properties &&
    enumValues <= OPENAI_STRICT_LIMITS.enumValues &&
    deepest <= OPENAI_STRICT_LIMITS.depth
  );
}
