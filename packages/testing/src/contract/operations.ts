import type { TemplateSpec } from './path-matcher.js';
import type { ApiDocument } from './read-description.js';

type Json = Record<string, unknown>;

/** The HTTP methods a path item may document. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** A documented parameter, the same for OpenAPI 3 and Swagger 2. */
export interface ParameterSpec {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie' | 'formData';
  required: boolean;
  /** The JSON schema its value must match (`{}` when the description gives none). */
  schema: object;
  /** Whether the schema describes an array (so the value is a list). */
  isArray: boolean;
  /** For arrays sent in one string: the separator (`,` for `explode: false` or `csv`); undefined when repeated. */
  delimiter?: string;
  /** OpenAPI 3 `style: deepObject`: the value arrives as `name[key]=value` pairs. */
  deepObject: boolean;
  /** OpenAPI 3 `content` instead of `schema`: the value is serialized JSON. */
  serializedJson: boolean;
}

/** Media type (e.g. `application/json`) to its schema (undefined when only the type is documented). */
export type MediaTypes = Map<string, object | undefined>;

/** A documented operation, its references resolved. */
export interface OperationSpec {
  method: string;
  pathTemplate: string;
  operationId: string;
  /** `'METHOD /template'`, the prefix of every problem about it. */
  label: string;
  /** Path, query, header and cookie parameters (path-level ones merged, operation-level ones winning). */
  parameters: ParameterSpec[];
  /** Swagger 2 `in: formData` parameters. */
  formParameters: ParameterSpec[];
  /** The documented body (OpenAPI 3 `requestBody`, or a Swagger 2 `in: body` parameter), if any. */
  requestBody?: { required: boolean; content: MediaTypes };
  /** Status key (`'200'`, `'2XX'`, `'default'`) to the documented response content. */
  responses: Map<string, MediaTypes>;
}

/**
 * Reads operations out of an OpenAPI 3 or Swagger 2 description, on demand: GitHub documents about
 * a thousand, and a test touches a handful.
 */
export class OperationIndex {
  readonly #document: ApiDocument;
  readonly #documentId: string;
  readonly #isSwagger2: boolean;
  readonly #built = new Map<string, OperationSpec>();

  constructor(document: ApiDocument, documentId: string) {
    this.#document = document;
    this.#documentId = documentId;
    this.#isSwagger2 = document.swagger === '2.0';
  }

  /** Every documented path template, with the parameters marked `x-multi-segment` (GitHub's extension). */
  templates(): TemplateSpec[] {
    return Object.keys(this.#paths()).map((template) => {
      const item = this.#pathItem(template) ?? {};
      const declared = [item, ...HTTP_METHODS.map((method) => item[method] as Json | undefined)].flatMap(
        (owner) => asArray(owner?.parameters).map((raw) => this.#resolve(raw as Json)),
      );
      const multiSegment = new Set(
        declared
          .filter((parameter) => parameter['x-multi-segment'] === true)
          .map((parameter) => String(parameter.name)),
      );
      return { template, multiSegment };
    });
  }

  /** The upper-case methods documented for a template. */
  methodsOf(template: string): string[] {
    const item = this.#pathItem(template);
    return HTTP_METHODS.filter((method) => item?.[method] !== undefined).map((method) =>
      method.toUpperCase(),
    );
  }

  /** The operation for a method and template, or undefined when it is not documented. */
  operation(method: string, template: string): OperationSpec | undefined {
    const key = `${method.toUpperCase()} ${template}`;
    const known = this.#built.get(key);
    if (known) return known;
    const item = this.#pathItem(template);
    const operation = item?.[method.toLowerCase()] as Json | undefined;
    if (!item || !operation) return undefined;
    const built = this.#build(method.toUpperCase(), template, item, operation);
    this.#built.set(key, built);
    return built;
  }

  #paths(): Json {
    return (this.#document.paths ?? {}) as Json;
  }

  #pathItem(template: string): Json | undefined {
    const item = this.#paths()[template] as Json | undefined;
    return item ? this.#resolve(item) : undefined;
  }

  #build(method: string, pathTemplate: string, item: Json, operation: Json): OperationSpec {
    const declared = new Map<string, Json>();
    for (const raw of [...asArray(item.parameters), ...asArray(operation.parameters)]) {
      const parameter = this.#resolve(raw as Json);
      declared.set(`${parameter.in} ${parameter.name}`, parameter);
    }
    const all = [...declared.values()];
    const bodyParameter = all.find((parameter) => parameter.in === 'body');
    const requestBody = this.#isSwagger2
      ? bodyParameter && {
          required: bodyParameter.required === true,
          content: this.#swaggerContent(
            this.#consumes(operation),
            bodyParameter.schema as object | undefined,
          ),
        }
      : this.#openApiRequestBody(operation.requestBody as Json | undefined);
    return {
      method,
      pathTemplate,
      operationId:
        typeof operation.operationId === 'string' ? operation.operationId : `${method} ${pathTemplate}`,
      label: `${method} ${pathTemplate}`,
      parameters: all
        .filter((parameter) => ['query', 'path', 'header', 'cookie'].includes(parameter.in as string))
        .map((parameter) => this.#parameter(parameter)),
      formParameters: all
        .filter((parameter) => parameter.in === 'formData')
        .map((parameter) => this.#parameter(parameter)),
      ...(requestBody ? { requestBody } : {}),
      responses: this.#responses(operation),
    };
  }

  #parameter(parameter: Json): ParameterSpec {
    const schema = this.#isSwagger2
      ? swaggerParameterSchema(parameter)
      : this.#openApiParameterSchema(parameter);
    const isArray = this.#isArraySchema(schema);
    const delimiter = isArray ? this.#delimiterOf(parameter) : undefined;
    return {
      name: parameter.name as string,
      in: parameter.in as ParameterSpec['in'],
      required: parameter.required === true,
      schema,
      isArray,
      ...(delimiter !== undefined ? { delimiter } : {}),
      deepObject: parameter.style === 'deepObject',
      serializedJson: !this.#isSwagger2 && parameter.schema === undefined && parameter.content !== undefined,
    };
  }

  #openApiParameterSchema(parameter: Json): object {
    if (parameter.schema) return parameter.schema as object;
    const content = parameter.content as Record<string, Json> | undefined;
    const first = content ? Object.values(content)[0] : undefined;
    return (first?.schema as object | undefined) ?? {};
  }

  #delimiterOf(parameter: Json): string | undefined {
    if (this.#isSwagger2) {
      const format = (parameter.collectionFormat as string | undefined) ?? 'csv';
      return { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' }[format];
    }
    const where = parameter.in as string;
    const style =
      (parameter.style as string | undefined) ??
      (where === 'query' || where === 'cookie' ? 'form' : 'simple');
    const explode = (parameter.explode as boolean | undefined) ?? style === 'form';
    if (style === 'spaceDelimited') return ' ';
    if (style === 'pipeDelimited') return '|';
    if (style === 'form' && explode) return undefined;
    return ',';
  }

  #isArraySchema(schema: object): boolean {
    const resolved = this.#resolve(schema as Json);
    const { type } = resolved;
    return type === 'array' || (Array.isArray(type) && type.includes('array'));
  }

  #openApiRequestBody(raw: Json | undefined): OperationSpec['requestBody'] {
    if (!raw) return undefined;
    const body = this.#resolve(raw);
    return { required: body.required === true, content: this.#openApiContent(body.content) };
  }

  #responses(operation: Json): Map<string, MediaTypes> {
    const responses = new Map<string, MediaTypes>();
    for (const [status, raw] of Object.entries((operation.responses ?? {}) as Json)) {
      const response = this.#resolve(raw as Json);
      const content = this.#isSwagger2
        ? this.#swaggerContent(this.#produces(operation), response.schema as object | undefined)
        : this.#openApiContent(response.content);
      responses.set(status, content);
    }
    return responses;
  }

  #openApiContent(content: unknown): MediaTypes {
    const types: MediaTypes = new Map();
    for (const [mediaType, entry] of Object.entries((content ?? {}) as Record<string, Json>)) {
      types.set(mediaType.toLowerCase(), (entry?.schema as object | undefined) ?? undefined);
    }
    return types;
  }

  /** Swagger 2 gives one schema for every media type the operation consumes or produces. */
  #swaggerContent(mediaTypes: string[], schema: object | undefined): MediaTypes {
    if (schema === undefined) return new Map();
    return new Map(mediaTypes.map((mediaType) => [mediaType.toLowerCase(), schema]));
  }

  #consumes(operation: Json): string[] {
    return asStrings(operation.consumes) ?? asStrings(this.#document.consumes) ?? ['application/json'];
  }

  #produces(operation: Json): string[] {
    return asStrings(operation.produces) ?? asStrings(this.#document.produces) ?? ['application/json'];
  }

  /** Follows `$ref`s between API objects (parameters, responses, request bodies, path items). */
  #resolve(node: Json): Json {
    let current = node;
    for (let hops = 0; typeof current?.$ref === 'string' && hops < 32; hops++) {
      current = this.#pointer(current.$ref as string);
    }
    return current ?? {};
  }

  #pointer(ref: string): Json {
    const local = ref.startsWith(this.#documentId) ? ref.slice(this.#documentId.length) : ref;
    if (!local.startsWith('#'))
      throw new Error(`unsupported $ref "${ref}": only references within the document are`);
    let node: unknown = this.#document;
    for (const raw of local.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      node = (node as Json | undefined)?.[key];
    }
    return node as Json;
  }
}

/** Swagger 2 parameters carry their schema keywords inline (`type`, `items`, `enum`, ...). */
function swaggerParameterSchema(parameter: Json): object {
  if (parameter.schema) return parameter.schema as object;
  const schema: Json = {};
  for (const [key, value] of Object.entries(parameter)) {
    if (!['name', 'in', 'required', 'description', 'collectionFormat', 'allowEmptyValue'].includes(key)) {
      schema[key] = value;
    }
  }
  return schema;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 ? (value as string[]) : undefined;
}
