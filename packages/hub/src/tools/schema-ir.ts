/**
 * A JSON Schema read into a small tree that says what each value may be, once, so each AI
 * provider's format is a plain walk over it. Reading settles what providers disagree on:
 * `$ref`s are inlined (only recursive ones stay references), `allOf` is merged, `oneOf` is
 * `anyOf`, `type: [T, 'null']`, `nullable: true` and a `null` branch all become `nullable`, a
 * mixed enum becomes a union of typed enums, and a `required` name without a property gets one.
 */

export type PrimitiveKind = 'string' | 'number' | 'integer' | 'boolean';

/** What every node may carry besides its shape. */
export interface NodeMeta {
  description?: string;
  title?: string;
  /** Present when the schema gave a default (which may be `null`). */
  default?: { value: unknown };
  examples?: unknown[];
  /** Value keywords as given (`minLength`, `pattern`, `format`, `minimum`, `minItems`, …). */
  constraints: Record<string, unknown>;
  /** `null` is accepted besides the shape. */
  nullable: boolean;
}

export type SchemaNode =
  | { kind: PrimitiveKind; enum?: unknown[]; meta: NodeMeta }
  | { kind: 'null'; meta: NodeMeta }
  | {
      kind: 'object';
      properties: [string, SchemaNode][];
      required: string[];
      /** `false`: closed; `true`: open (any extra keys); a node: a record of those values. */
      additional: SchemaNode | boolean;
      meta: NodeMeta;
    }
  | { kind: 'array'; items: SchemaNode; meta: NodeMeta }
  | { kind: 'union'; options: SchemaNode[]; meta: NodeMeta }
  | { kind: 'any'; meta: NodeMeta }
  /** A recursive reference: `target` names an entry of {@link SchemaIR.defs}. */
  | { kind: 'ref'; target: string; meta: NodeMeta };

export type ObjectNode = Extract<SchemaNode, { kind: 'object' }>;

export interface SchemaIR {
  root: SchemaNode;
  /** The recursive targets, by a name usable under `$defs`. */
  defs: Map<string, SchemaNode>;
}

/** Keywords that constrain a value without changing its shape; providers keep or describe them. */
export const CONSTRAINT_KEYWORDS = [
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
  'contentEncoding',
  'contentMediaType',
] as const;

export const emptyMeta = (): NodeMeta => ({ constraints: {}, nullable: false });

/** The same node, `null` accepted as well. */
export function asNullable(node: SchemaNode): SchemaNode {
  return node.meta.nullable ? node : { ...node, meta: { ...node.meta, nullable: true } };
}

/** True when `null` is a valid value of the node. */
export function acceptsNull(node: SchemaNode): boolean {
  if (node.meta.nullable || node.kind === 'null' || node.kind === 'any') return true;
  return node.kind === 'union' && node.options.some(acceptsNull);
}

/** Depth-first visit of every node (and of the defs), for checks and limits. */
export function forEachNode(ir: SchemaIR, visit: (node: SchemaNode, depth: number) => void): void {
  const walk = (node: SchemaNode, depth: number): void => {
    visit(node, depth);
    if (node.kind === 'object') {
      for (const [, child] of node.properties) walk(child, depth + 1);
      if (typeof node.additional === 'object') walk(node.additional, depth + 1);
    } else if (node.kind === 'array') walk(node.items, depth + 1);
    else if (node.kind === 'union') for (const option of node.options) walk(option, depth);
  };
  walk(ir.root, 0);
  for (const def of ir.defs.values()) walk(def, 1);
}
