import type { ApiDocument } from './read-description.js';
import type { SchemaLeniency } from './types.js';

type Json = Record<string, unknown>;

/** Keys whose value is a map from names to objects: every key inside is a name, never a keyword. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'paths',
  'schemas',
  'responses',
  'requestBodies',
  'parameters',
  'headers',
  'content',
  'callbacks',
  'links',
  'encoding',
  'securityDefinitions',
  'securitySchemes',
  'variables',
]);

/** Keys holding data rather than schemas or API objects: nothing inside them is normalized. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default', 'mapping']);

/** Keys that describe a schema without constraining it: they stay outside when a schema is wrapped. */
const ANNOTATIONS = new Set(['title', 'description', 'readOnly', 'writeOnly', 'deprecated', 'externalDocs']);

/** What normalizing found that the validator must know about. */
export interface NormalizedDocument {
  /** Every `format` name used by a schema, to register the ones ajv does not know. */
  formats: Set<string>;
  /**
   * The part of the document `$ref`s point into (e.g. only `components.schemas` of GitHub's, not its
   * megabytes of examples), in the same shape, so that the same pointers resolve in it.
   */
  referenced: ApiDocument;
}

/**
 * Rewrites an OpenAPI 3.0 / Swagger 2.0 description in place so that its schemas mean the same to a
 * JSON Schema validator (ajv) as to the description's authors:
 *
 * - `nullable: true` (OAS 3.0) and `x-nullable: true` (Swagger 2) become a `null` type (a type array
 *   for plain typed schemas, else `anyOf: [schema, {type: 'null'}]`), with `null` added to an `enum`;
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4 style) become numeric bounds;
 * - Swagger 2's `type: 'file'` becomes "any";
 * - local `$ref`s (`#/components/...`, `#/definitions/...`) become absolute (`<documentId>#/...`), so any
 *   schema of the document compiles on its own against the document registered under that id.
 *
 * Examples, enums, defaults and `x-*` extensions are data and are left alone. The `leniency` options
 * (see {@link SchemaLeniency}) open closed objects and named enums.
 */
export function normalizeDocument(
  document: ApiDocument,
  documentId: string,
  leniency: SchemaLeniency = {},
): NormalizedDocument {
  const formats = new Set<string>();
  const sections = new Set<string>();
  const visit = (node: unknown, isNameMap: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, false);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const object = node as Json;
    if (!isNameMap) {
      normalizeSchemaKeywords(object, documentId, formats, sections);
      applyLeniency(object, leniency);
    }
    for (const [key, value] of Object.entries(object)) {
      if (!isNameMap && (DATA_KEYS.has(key) || key.startsWith('x-'))) continue;
      const childIsNameMap = !isNameMap && NAME_MAPS.has(key) && !Array.isArray(value);
      visit(value, childIsNameMap);
    }
  };
  visit(document, false);
  return { formats, referenced: referencedPart(document, sections) };
}

function normalizeSchemaKeywords(
  node: Json,
  documentId: string,
  formats: Set<string>,
  sections: Set<string>,
): void {
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
    sections.add(sectionOf(node.$ref));
    node.$ref = documentId + node.$ref;
  }
  if (typeof node.format === 'string') formats.add(node.format);
  if (node.type === 'file') delete node.type;
  convertExclusiveBound(node, 'exclusiveMinimum', 'minimum');
  convertExclusiveBound(node, 'exclusiveMaximum', 'maximum');
  const nullable = node.nullable === true || node['x-nullable'] === true;
  if (typeof node.nullable === 'boolean') delete node.nullable;
  if (nullable) allowNull(node);
}

function applyLeniency(node: Json, leniency: SchemaLeniency): void {
  if (leniency.allowUndocumentedProperties && node.additionalProperties === false)
    delete node.additionalProperties;
  const properties = node.properties as Record<string, Json | undefined> | undefined;
  if (!properties || typeof properties !== 'object') return;
  for (const name of leniency.openEnumProperties ?? []) {
    const property = properties[name];
    if (property && typeof property === 'object' && Array.isArray(property.enum)) delete property.enum;
  }
}

function convertExclusiveBound(node: Json, exclusive: string, inclusive: string): void {
  if (typeof node[exclusive] !== 'boolean') return;
  if (node[exclusive] === true && typeof node[inclusive] === 'number') {
    node[exclusive] = node[inclusive];
    delete node[inclusive];
  } else {
    delete node[exclusive];
  }
}

function allowNull(node: Json): void {
  const combined = ['$ref', 'allOf', 'oneOf', 'anyOf', 'not'].some((key) => key in node);
  if (!combined && (typeof node.type === 'string' || Array.isArray(node.type))) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (!types.includes('null')) node.type = [...types, 'null'];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
    return;
  }
  const constraints = Object.keys(node).filter((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-'));
  if (constraints.length === 0) return;
  const inner: Json = {};
  for (const key of constraints) {
    inner[key] = node[key];
    delete node[key];
  }
  node.anyOf = [inner, { type: 'null' }];
}

/** The first level of a pointer, two for `components` (`#/components/schemas/pet` → `components/schemas`). */
function sectionOf(ref: string): string {
  const [first = '', second = ''] = ref.slice(2).split('/');
  return first === 'components' ? `${first}/${second}` : first;
}

function referencedPart(document: ApiDocument, sections: Set<string>): ApiDocument {
  const part: Json = {};
  for (const section of sections) {
    const [first = '', second] = section.split('/');
    const value = document[first];
    if (value === undefined) continue;
    if (second === undefined) part[first] = value;
    else part[first] = { ...(part[first] as Json | undefined), [second]: (value as Json)[second] };
  }
  return part;
}
