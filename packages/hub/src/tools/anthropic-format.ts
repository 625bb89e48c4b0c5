import type { JsonSchema } from './json-schema.js';
import { readSchema } from './schema-reader.js';
import { standardSchema } from './standard-schema.js';

/** A tool as Anthropic's Messages API `tools` take it. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: JsonSchema;
}

/**
 * A tool input as Anthropic's `input_schema`: JSON Schema whose root is a plain object (no
 * `anyOf`/`oneOf`/`allOf` at the top: a union of shapes is joined into one object), references
 * inlined unless recursive (those stay under `$defs`), everything else kept.
 */
export function anthropicInputSchema(inputSchema: JsonSchema): JsonSchema {
  return standardSchema(readSchema(inputSchema));
}
