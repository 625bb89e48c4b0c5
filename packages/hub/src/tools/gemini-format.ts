import type { JsonSchema } from './json-schema.js';
import { rootObject } from './root-object.js';
import type { SchemaIR, SchemaNode } from './schema-ir.js';
import { readSchema } from './schema-reader.js';
import { describe, isPortablePattern, splitConstraints, valuesNote } from './schema-text.js';

/** A function as Gemini's `tools[].functionDeclarations` take it. */
export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  /** Left out for a function without parameters (Gemini refuses an OBJECT without properties). */
  parameters?: JsonSchema;
}

/** Gemini's Schema types (the OpenAPI 3.0 subset it reads). */
export type GeminiType = 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';

/** Formats Gemini accepts, by type. */
export const GEMINI_FORMATS: Readonly<Record<GeminiType, ReadonlySet<string>>> = {
  STRING: new Set(['enum', 'date-time']),
  NUMBER: new Set(['float', 'double']),
  INTEGER: new Set(['int32', 'int64']),
  BOOLEAN: new Set(),
  ARRAY: new Set(),
  OBJECT: new Set(),
};

/** Value keywords Gemini's Schema has, by type; the rest are said in the description. */
const GEMINI_KEYWORDS: Readonly<Record<GeminiType, ReadonlySet<string>>> = {
  STRING: new Set(['minLength', 'maxLength', 'pattern', 'format']),
  NUMBER: new Set(['minimum', 'maximum', 'format']),
  INTEGER: new Set(['minimum', 'maximum', 'format']),
  BOOLEAN: new Set(),
  ARRAY: new Set(['minItems', 'maxItems']),
  OBJECT: new Set(['minProperties', 'maxProperties']),
};

const GEMINI_TYPE: Record<'string' | 'number' | 'integer' | 'boolean', GeminiType> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
};

/** How many times a recursive schema is unfolded before the rest is asked for as JSON text. */
const UNFOLD = 2;

/**
 * A tool input as Gemini function parameters: the OpenAPI 3.0 subset Gemini reads. Types are
 * Gemini's (`STRING`, `OBJECT`, …), `null` is `nullable: true`, references are inlined (a
 * recursive one unfolded twice), enums are strings (`format: enum`; other enums and `const`s are
 * said in the description), only Gemini's formats and keywords stay and the rest is said in
 * words. A value Gemini cannot describe (a free-form value, an object without declared
 * properties such as a record) is asked for as JSON text in a string; `normalizeToolArguments`
 * parses it back before the operation sees it.
 */
export function geminiParameters(inputSchema: JsonSchema): JsonSchema | undefined {
  const ir = readSchema(inputSchema);
  const root = rootObject(ir.root);
  if (root.properties.length === 0) return undefined;
  return new GeminiEmitter(ir).node(root);
}

class GeminiEmitter {
  private readonly unfolded = new Map<string, number>();

  constructor(private readonly ir: SchemaIR) {}

  node(node: SchemaNode): JsonSchema {
    const nullable = node.meta.nullable ? { nullable: true } : {};
    switch (node.kind) {
      case 'string':
      case 'number':
      case 'integer':
      case 'boolean': {
        const type = GEMINI_TYPE[node.kind];
        const { kept, dropped } = this.constraints(node, type);
        const stringEnum = type === 'STRING' && node.enum !== undefined;
        const description = describe(node.meta, {
          dropped,
          titleInText: true,
          defaultInText: node.meta.default !== undefined && !fits(node.meta.default.value, node.kind),
          extra: [node.enum !== undefined && !stringEnum ? valuesNote(node.enum) : undefined],
        });
        return {
          type,
          ...kept,
          ...(stringEnum ? { format: 'enum', enum: node.enum } : {}),
          ...nullable,
          ...(description === undefined ? {} : { description }),
          ...(node.meta.default !== undefined && fits(node.meta.default.value, node.kind)
            ? { default: node.meta.default.value }
            : {}),
        };
      }
      case 'null':
        return {
          type: 'STRING',
          nullable: true,
          description: describe(node.meta, { extra: ['Always null.'] }),
        };
      case 'any':
        return this.jsonText(node, 'Any JSON value, written as JSON text.');
      case 'ref': {
        const seen = this.unfolded.get(node.target) ?? 0;
        const target = this.ir.defs.get(node.target);
        if (!target || seen >= UNFOLD)
          return this.jsonText(node, 'Nested further: write this part as JSON text.');
        this.unfolded.set(node.target, seen + 1);
        try {
          const inner = this.node({
            ...target,
            meta: { ...target.meta, nullable: target.meta.nullable || node.meta.nullable },
          });
          const description = describe(node.meta);
          return description === undefined ? inner : { ...inner, description };
        } finally {
          this.unfolded.set(node.target, seen);
        }
      }
      case 'union': {
        const description = describe(node.meta, { titleInText: true, defaultInText: true });
        return {
          anyOf: node.options.map((option) => this.node(option)),
          ...nullable,
          ...(description === undefined ? {} : { description }),
        };
      }
      case 'array': {
        const { kept, dropped } = this.constraints(node, 'ARRAY');
        const description = describe(node.meta, { dropped, titleInText: true, defaultInText: true });
        return {
          type: 'ARRAY',
          items: this.node(node.items),
          ...kept,
          ...nullable,
          ...(description === undefined ? {} : { description }),
        };
      }
      case 'object': {
        if (node.properties.length === 0) {
          const values =
            typeof node.additional === 'object' ? ` whose values are ${kindText(node.additional)}` : '';
          return this.jsonText(node, `A JSON object${values}, written as JSON text.`);
        }
        const { kept, dropped } = this.constraints(node, 'OBJECT');
        const description = describe(node.meta, { dropped, titleInText: true, defaultInText: true });
        return {
          type: 'OBJECT',
          properties: Object.fromEntries(node.properties.map(([name, child]) => [name, this.node(child)])),
          ...(node.required.length > 0 ? { required: node.required } : {}),
          ...kept,
          ...nullable,
          ...(description === undefined ? {} : { description }),
        };
      }
    }
  }

  private constraints(node: SchemaNode, type: GeminiType) {
    return splitConstraints(
      node.meta.constraints,
      (key, value) =>
        GEMINI_KEYWORDS[type].has(key) &&
        (key !== 'format' || GEMINI_FORMATS[type].has(String(value))) &&
        (key !== 'pattern' || isPortablePattern(value)),
    );
  }

  private jsonText(node: SchemaNode, what: string): JsonSchema {
    const description = describe(node.meta, { titleInText: true, defaultInText: true, extra: [what] });
    return {
      type: 'STRING',
      ...(node.meta.nullable ? { nullable: true } : {}),
      ...(description ? { description } : {}),
    };
  }
}

function fits(value: unknown, kind: 'string' | 'number' | 'integer' | 'boolean'): boolean {
  if (kind === 'integer') return Number.isInteger(value);
  return typeof value === kind;
}

function kindText(node: SchemaNode): string {
  if (node.kind === 'union') return node.options.map(kindText).join(' or ');
  if (node.kind === 'any' || node.kind === 'ref') return 'any JSON';
  return node.kind === 'object' ? 'objects' : node.kind === 'array' ? 'arrays' : `${node.kind}s`;
}
