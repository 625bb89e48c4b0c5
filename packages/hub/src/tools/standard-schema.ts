import type { JsonSchema } from './json-schema.js';
import { rootObject } from './root-object.js';
import type { SchemaIR, SchemaNode } from './schema-ir.js';
import { describe } from './schema-text.js';

/**
 * The IR written back as plain JSON Schema (2020-12): what Anthropic's `input_schema` and
 * OpenAI's non-strict `parameters` take. Everything the input allows is kept (constraints,
 * defaults, records, recursion through `$defs`); the root is one plain object, as both require.
 */
export function standardSchema(ir: SchemaIR): JsonSchema {
  const root = emitNode(rootObject(ir.root));
  if (ir.defs.size > 0) {
    root.$defs = Object.fromEntries([...ir.defs].map(([name, node]) => [name, emitNode(node)]));
  }
  return root;
}

function emitNode(node: SchemaNode): JsonSchema {
  const description = describe(node.meta);
  const annotations: JsonSchema = {
    ...(description === undefined ? {} : { description }),
    ...(node.meta.title === undefined ? {} : { title: node.meta.title }),
    ...(node.meta.default === undefined ? {} : { default: node.meta.default.value }),
    ...(node.meta.examples === undefined ? {} : { examples: node.meta.examples }),
  };
  const nullable = node.meta.nullable;
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean': {
      const schema: JsonSchema = {
        type: nullable ? [node.kind, 'null'] : node.kind,
        ...node.meta.constraints,
      };
      if (node.enum !== undefined) schema.enum = nullable ? [...node.enum, null] : node.enum;
      return { ...schema, ...annotations };
    }
    case 'null':
      return { type: 'null', ...annotations };
    case 'any':
      return annotations;
    case 'ref':
      return withNull({ $ref: `#/$defs/${node.target}` }, nullable, annotations);
    case 'union': {
      const options = node.options.map(emitNode);
      if (nullable) options.push({ type: 'null' });
      return { anyOf: options, ...annotations };
    }
    case 'array':
      return withNull(
        { type: 'array', items: emitNode(node.items), ...node.meta.constraints },
        nullable,
        annotations,
      );
    case 'object': {
      const schema: JsonSchema = {
        type: 'object',
        properties: Object.fromEntries(node.properties.map(([name, child]) => [name, emitNode(child)])),
        ...node.meta.constraints,
      };
      if (node.required.length > 0) schema.required = node.required;
      if (node.additional === false) schema.additionalProperties = false;
      else if (node.additional !== true) schema.additionalProperties = emitNode(node.additional);
      return withNull(schema, nullable, annotations);
    }
  }
}

function withNull(schema: JsonSchema, nullable: boolean, annotations: JsonSchema): JsonSchema {
  return nullable ? { anyOf: [schema, { type: 'null' }], ...annotations } : { ...schema, ...annotations };
}
