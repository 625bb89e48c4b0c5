import type { JsonSchema } from './json-schema.js';
import {
  CONSTRAINT_KEYWORDS,
  emptyMeta,
  type NodeMeta,
  type ObjectNode,
  type PrimitiveKind,
  type SchemaIR,
  type SchemaNode,
} from './schema-ir.js';
import { mergeAllOf, mergeSchemas } from './schema-merge.js';
import { isObject, recursiveRefs, resolvePointer } from './schema-refs.js';
import { simplifyUnion } from './schema-union.js';

/** Deeper than this is not a tool's input; the rest reads as "any value". */
const MAX_DEPTH = 48;
const PRIMITIVES = new Set<string>(['string', 'number', 'integer', 'boolean']);
/** Keywords that say what a value is; a `anyOf` beside them narrows them (`base ∧ option`). */
const SHAPE_KEYWORDS = [
  'type',
  'properties',
  'additionalProperties',
  'items',
  'prefixItems',
  'enum',
  'const',
  'required',
];
/** Keywords that only describe; a union's branches do not repeat them. */
const META_KEYWORDS = ['description', 'title', 'default', 'examples', 'example', 'nullable'];

/** Reads a JSON Schema (draft 4 to 2020-12, or OpenAPI 3.0's dialect) into a {@link SchemaIR}. */
export function readSchema(schema: unknown): SchemaIR {
  const root = isObject(schema) ? schema : {};
  return new SchemaReader(root).read();
}

class SchemaReader {
  private readonly recursive: Set<string>;
  private readonly defNames = new Map<string, string>();
  private readonly defs = new Map<string, SchemaNode>();

  constructor(private readonly root: JsonSchema) {
    this.recursive = recursiveRefs(root);
  }

  read(): SchemaIR {
    return { root: this.node(this.root, 0), defs: this.defs };
  }

  private node(value: unknown, depth: number): SchemaNode {
    if (!isObject(value)) return { kind: 'any', meta: emptyMeta() };
    if (depth > MAX_DEPTH)
      return { kind: 'any', meta: { ...emptyMeta(), description: 'Nested too deep to describe' } };
    let schema: JsonSchema = value;
    if (typeof schema.$ref === 'string') {
      const { $ref, ...siblings } = schema;
      if (this.recursive.has($ref as string)) {
        return { kind: 'ref', target: this.defName($ref as string, depth), meta: this.meta(siblings, false) };
      }
      const target = resolvePointer(this.root, $ref as string);
      if (!isObject(target)) {
        return {
          kind: 'any',
          meta: { ...this.meta(siblings, false), description: describeUnresolved(siblings, $ref) },
        };
      }
      return this.node({ ...target, ...siblings }, depth + 1);
    }
    if (Array.isArray(schema.allOf)) schema = mergeAllOf(this.root, schema, this.recursive);

    let types = typeList(schema.type);
    let nullable = schema.nullable === true;
    if (types?.includes('null')) {
      nullable = true;
      types = types.filter((t) => t !== 'null');
      if (types.length === 0) return { kind: 'null', meta: this.meta(schema, false) };
    }
    if ('const' in schema && schema.const === null) return { kind: 'null', meta: this.meta(schema, false) };
    let values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
    if (values?.includes(null)) {
      nullable = true;
      values = values.filter((v) => v !== null);
      if (values.length === 0) return { kind: 'null', meta: this.meta(schema, false) };
    }
    const meta = this.meta(schema, nullable);

    const options = [...list(schema.anyOf), ...list(schema.oneOf)];
    if (options.length > 0) {
      const base = pick(schema, SHAPE_KEYWORDS);
      const hasShape = Object.keys(base).length > 0;
      const branches = options.map((option) =>
        this.node(hasShape && isObject(option) ? mergeSchemas(base, option) : option, depth + 1),
      );
      return simplifyUnion(branches, meta);
    }
    if (types && types.length > 1) {
      const shape = omit(schema, META_KEYWORDS);
      return simplifyUnion(
        types.map((type) => this.node({ ...shape, type }, depth + 1)),
        meta,
      );
    }
    const kind = types?.[0] ?? inferKind(schema, values);
    if (kind === undefined && values !== undefined) {
      // A mixed enum: one typed enum per JSON type.
      const byType = new Map<string, unknown[]>();
      for (const v of values) byType.set(jsonType(v), [...(byType.get(jsonType(v)) ?? []), v]);
      return simplifyUnion(
        [...byType].map(([type, typed]) => this.node({ type, enum: typed }, depth + 1)),
        meta,
      );
    }
    if (kind !== undefined && PRIMITIVES.has(kind)) {
      const typed = values?.filter((v) => matchesKind(v, kind as PrimitiveKind));
      return { kind: kind as PrimitiveKind, ...(typed ? { enum: typed } : {}), meta };
    }
    if (kind === 'object') return this.object(schema, meta, depth);
    if (kind === 'array') return this.array(schema, meta, depth);
    return { kind: 'any', meta };
  }

  private object(schema: JsonSchema, meta: NodeMeta, depth: number): ObjectNode {
    const properties: [string, SchemaNode][] = [];
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        if (property === false) continue; // a forbidden property is simply not offered
        properties.push([name, this.node(property, depth + 1)]);
      }
    }
    const required = [...new Set(list(schema.required).filter((r): r is string => typeof r === 'string'))];
    for (const name of required) {
      if (!properties.some(([known]) => known === name))
        properties.push([name, { kind: 'any', meta: emptyMeta() }]);
    }
    const extra = schema.additionalProperties ?? schema.unevaluatedProperties;
    const values = isObject(extra) ? this.node(extra, depth + 1) : undefined;
    // `additionalProperties: {}` (zod's loose objects) says what leaving it out says: open.
    const additional = extra === false ? false : values && values.kind !== 'any' ? values : true;
    return { kind: 'object', properties, required, additional, meta };
  }

  private array(schema: JsonSchema, meta: NodeMeta, depth: number): SchemaNode {
    const tuple = Array.isArray(schema.prefixItems)
      ? schema.prefixItems
      : Array.isArray(schema.items)
        ? schema.items
        : undefined;
    if (tuple) {
      const rest = isObject(schema.items)
        ? [schema.items]
        : isObject(schema.additionalItems)
          ? [schema.additionalItems]
          : [];
      const items = simplifyUnion(
        [...tuple, ...rest].map((item) => this.node(item, depth + 1)),
        emptyMeta(),
      );
      const order = `Items in order: ${tuple.length} positions.`;
      return { kind: 'array', items, meta: { ...meta, description: joinText(meta.description, order) } };
    }
    return { kind: 'array', items: this.node(schema.items, depth + 1), meta };
  }

  /** The `$defs` name of a recursive target, read once (its own recursion reads as a `ref`). */
  private defName(ref: string, depth: number): string {
    const known = this.defNames.get(ref);
    if (known !== undefined) return known;
    const last = ref === '#' ? 'root' : (ref.split('/').pop() ?? 'def');
    const base = last.replace(/[^A-Za-z0-9_]/g, '_') || 'def';
    let name = base;
    for (let n = 2; [...this.defNames.values()].includes(name); n++) name = `${base}_${n}`;
    this.defNames.set(ref, name);
    this.defs.set(name, { kind: 'any', meta: emptyMeta() }); // placeholder while it is read
    this.defs.set(name, this.node(resolvePointer(this.root, ref), depth + 1));
    return name;
  }

  private meta(schema: JsonSchema, nullable: boolean): NodeMeta {
    const meta: NodeMeta = { constraints: constraintsOf(schema), nullable };
    if (typeof schema.description === 'string' && schema.description !== '')
      meta.description = schema.description;
    if (typeof schema.title === 'string' && schema.title !== '') meta.title = schema.title;
    if ('default' in schema) meta.default = { value: schema.default };
    if (Array.isArray(schema.examples)) meta.examples = schema.examples;
    else if ('example' in schema) meta.examples = [schema.example];
    return meta;
  }
}

function constraintsOf(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONSTRAINT_KEYWORDS) if (key in schema) out[key] = schema[key];
  // Draft 4 wrote exclusive bounds as booleans beside minimum/maximum.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  // zod writes the safe-integer range on every int: it says nothing a reader needs.
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  return out;
}

function typeList(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

function inferKind(schema: JsonSchema, values: unknown[] | undefined): string | undefined {
  if (values !== undefined) {
    const types = new Set(values.map(jsonType));
    if (types.size === 1) return [...types][0];
    if (types.size === 2 && types.has('integer') && types.has('number')) return 'number';
    return undefined;
  }
  if (
    ['properties', 'additionalProperties', 'required', 'patternProperties', 'minProperties'].some(
      (k) => k in schema,
    )
  )
    return 'object';
  if (['items', 'prefixItems', 'minItems', 'maxItems'].some((k) => k in schema)) return 'array';
  if (['minLength', 'maxLength', 'pattern', 'format'].some((k) => k in schema)) return 'string';
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].some((k) => k in schema))
    return 'number';
  return 'any';
}

function jsonType(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function matchesKind(value: unknown, kind: PrimitiveKind): boolean {
  if (kind === 'integer') return Number.isInteger(value);
  return typeof value === kind;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function pick(schema: JsonSchema, keys: readonly string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => keys.includes(k)));
}

function omit(schema: JsonSchema, keys: readonly string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => !keys.includes(k)));
}

function joinText(...parts: (string | undefined)[]): string | undefined {
  const text = parts.filter((p) => p !== undefined && p !== '').join(' ');
  return text === '' ? undefined : text;
}

function describeUnresolved(siblings: JsonSchema, ref: unknown): string {
  const own = typeof siblings.description === 'string' ? `${siblings.description} ` : '';
  return `${own}(Any value: the schema points at ${String(ref)}, which is not part of this tool.)`;
}
