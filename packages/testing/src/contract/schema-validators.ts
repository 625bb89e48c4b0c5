import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { ApiDocument } from './read-description.js';

/** How {@link SchemaValidators.check} reads a value. */
export interface CheckOptions {
  /** Coerce strings to the documented types first (query, path, header and form values). */
  coerce?: boolean;
  /**
   * Which way the value travels: a required `readOnly` property may be missing from a request, and a
   * required `writeOnly` one from a response, as OpenAPI says.
   */
  direction?: 'request' | 'response';
}

/** Which JSON Schema dialect a description's schemas are written in. */
export type SchemaDialect = 'draft-07' | '2020-12';

/** At most this many messages per checked value; a broken list of 500 items needs one line, not 500. */
const MAX_MESSAGES = 10;

/** OpenAPI's own formats, and what they check (numbers' width is left to `type`). */
const OPENAPI_FORMATS = {
  int32: { type: 'number', validate: (value: number) => value >= -(2 ** 31) && value < 2 ** 31 },
  int64: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  double: { type: 'number', validate: () => true },
  byte: { type: 'string', validate: (value: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(value) },
  binary: true,
  password: true,
} as const;

// ajv-formats is CommonJS; under NodeNext its default import may arrive wrapped.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv) => Ajv;

/**
 * Compiles and caches validators for the schemas of one description. The part of the (normalized)
 * document that `$ref`s point into is registered under the document's id, so a schema taken from
 * anywhere in it compiles on its own, its absolute `$ref`s (recursive ones included) resolved by ajv,
 * and referenced schemas compiled once and shared by every operation.
 */
export class SchemaValidators {
  readonly #exact: Ajv;
  #coercing: Ajv | undefined;
  readonly #compiled = new WeakMap<Ajv, WeakMap<object, ValidateFunction>>();
  readonly #createCoercing: () => Ajv;

  constructor(referenced: ApiDocument, documentId: string, dialect: SchemaDialect, formats: Set<string>) {
    this.#exact = createAjv(dialect, {}, referenced, documentId, formats);
    // Query, path, header and form values arrive as strings: coerce them to the documented type first.
    // Made on first use: registering GitHub's schemas costs a tenth of a second or more per instance.
    this.#createCoercing = () =>
      createAjv(dialect, { coerceTypes: 'array' }, referenced, documentId, formats);
  }

  /**
   * Problems with a value ([] when it conforms), each as `"<json pointer> <message>"` (the pointer is
   * left out for the value itself). With `coerce`, strings are converted to the documented type first
   * (and a single value to an array), as servers do with query and form values; the value may be
   * changed in place, so pass a copy.
   */
  check(schema: object, value: unknown, options: CheckOptions = {}): string[] {
    const ajv = options.coerce ? this.#coercingAjv() : this.#exact;
    const validate = this.#validatorFor(ajv, schema);
    if (validate(value)) return [];
    const errors = (validate.errors ?? []).filter((error) => !isNullAlternative(error));
    return describeErrors(withoutOtherDirectionsFields(errors, options.direction));
  }

  #coercingAjv(): Ajv {
    if (!this.#coercing) this.#coercing = this.#createCoercing();
    return this.#coercing;
  }

  #validatorFor(ajv: Ajv, schema: object): ValidateFunction {
    let cache = this.#compiled.get(ajv);
    if (!cache) {
      cache = new WeakMap();
      this.#compiled.set(ajv, cache);
    }
    let validate = cache.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      cache.set(schema, validate);
    }
    return validate;
  }
}

function createAjv(
  dialect: SchemaDialect,
  extra: Options,
  document: ApiDocument,
  documentId: string,
  formats: Set<string>,
): Ajv {
  const options: Options = {
    strict: false,
    allErrors: true,
    // Descriptions are not meta-validated: OpenAPI schemas carry keywords JSON Schema does not know.
    validateSchema: false,
    // Referenced schemas become shared functions instead of being copied into every operation.
    inlineRefs: false,
    // Errors carry their schema, to tell a missing readOnly property from a missing plain one.
    verbose: true,
    logger: false,
    ...extra,
  };
  const ajv = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  for (const [name, format] of Object.entries(OPENAPI_FORMATS)) ajv.addFormat(name, format as never);
  // Vendors invent formats (`repo.nwo`, `url`, `timestamp`); an unknown one says nothing checkable.
  for (const name of formats) if (!ajv.formats[name]) ajv.addFormat(name, true);
  ajv.addSchema(document, documentId, undefined, false);
  return ajv;
}

/** `nullable` became `anyOf: [schema, {type: 'null'}]`: its "must be null" only restates the real problem. */
function isNullAlternative(error: ErrorObject): boolean {
  return (
    error.keyword === 'type' && error.params.type === 'null' && error.schemaPath.endsWith('/anyOf/1/type')
  );
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if']);

/**
 * Drops "must have required property" errors for a property that does not travel this way
 * (`readOnly` in a request, `writeOnly` in a response). One compiled schema serves both directions,
 * so the direction is applied to the errors. When only combinator summaries ("must match a schema in
 * anyOf") are left, they were caused by the dropped errors, and the value conforms.
 */
function withoutOtherDirectionsFields(
  errors: ErrorObject[],
  direction: CheckOptions['direction'],
): ErrorObject[] {
  if (direction === undefined) return errors;
  const absentHere = direction === 'request' ? 'readOnly' : 'writeOnly';
  const kept = errors.filter((error) => {
    if (error.keyword !== 'required') return true;
    const properties = (
      error.parentSchema as { properties?: Record<string, Record<string, unknown>> } | undefined
    )?.properties;
    return properties?.[error.params.missingProperty as string]?.[absentHere] !== true;
  });
  if (kept.length < errors.length && kept.every((error) => COMBINATORS.has(error.keyword))) return [];
  return kept;
}

/**
 * How telling an error is, most telling first: a wrong type or value says more than a missing field,
 * and "must match a schema in anyOf" only summarizes the errors of its branches.
 */
const KEYWORD_RANK: Record<string, number> = {
  additionalProperties: 1,
  required: 2,
  anyOf: 3,
  oneOf: 3,
  allOf: 3,
  not: 3,
  if: 3,
};

/** Readable messages from ajv's errors, most telling first. */
function describeErrors(errors: ErrorObject[]): string[] {
  const messages = new Set<string>();
  const ranked = [...errors].sort((a, b) => (KEYWORD_RANK[a.keyword] ?? 0) - (KEYWORD_RANK[b.keyword] ?? 0));
  for (const error of ranked) {
    const where = error.instancePath === '' ? '' : `${error.instancePath} `;
    messages.add(`${where}${error.message ?? 'is invalid'}${detailOf(error)}`);
  }
  const all = [...messages];
  if (all.length <= MAX_MESSAGES) return all;
  return [...all.slice(0, MAX_MESSAGES), `... and ${all.length - MAX_MESSAGES} more`];
}

function detailOf(error: ErrorObject): string {
  const { params } = error;
  if (error.keyword === 'additionalProperties') return ` ("${params.additionalProperty}")`;
  if (error.keyword === 'enum')
    return ` (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  if (error.keyword === 'const') return ` (${JSON.stringify(params.allowedValue)})`;
  return '';
}
