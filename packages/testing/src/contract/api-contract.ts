import { resolve } from 'node:path';
import { checkRequestAgainst } from './check-request.js';
import { checkResponseAgainst } from './check-response.js';
import { normalizeDocument } from './normalize-document.js';
import { OperationIndex, type OperationSpec } from './operations.js';
import { type PathMatch, PathMatcher } from './path-matcher.js';
import { type ApiDocument, readDescription } from './read-description.js';
import { SchemaValidators } from './schema-validators.js';
import type {
  ApiContract,
  ApiContractOptions,
  ContractRequest,
  ContractResponse,
  OperationMatch,
  SchemaLeniency,
} from './types.js';

/** A description read, normalized and indexed once per file (and schema leniency). */
interface LoadedDescription {
  document: ApiDocument;
  operations: OperationIndex;
  matcher: PathMatcher;
  validators: SchemaValidators;
}

const loaded = new Map<string, LoadedDescription>();
let loadedCount = 0;

/**
 * Loads (and caches per file) an OpenAPI 3.0/3.1 or Swagger 2.0 description, JSON or YAML, to check
 * requests and responses against it. Schemas are validated with ajv (draft-07 rules for OpenAPI 3.0
 * and Swagger 2.0, 2020-12 for OpenAPI 3.1), OpenAPI 3.0 `nullable` and Swagger 2 `x-nullable`
 * read as a `null` type; each validator is compiled on first use and kept.
 *
 * Where a description and real traffic part ways, the check leans toward what vendors accept:
 * - a required `readOnly` property may be missing from a request, a `writeOnly` one from a response;
 * - an exploded array query parameter (`?a=1&a=2`) also accepts one comma list (`?a=1,2`);
 * - a credential parameter (`token`, see {@link ApiContractOptions.credentialParameters}) may be sent
 *   in the query, form, body or headers, or replaced by `Authorization`;
 * - Swagger 2 form parameters also check a JSON body's top-level fields (an array or object is
 *   accepted where the form documents a JSON-encoded string);
 * - any JSON content type (`application/vnd.github+json`) matches a documented JSON one;
 * - vendor-specific `format`s are not checked, and a response documented without content is not
 *   checked; without `headers` in the request, header parameters are not checked;
 * - the base path is stripped only from paths that start with it.
 * Opt-in leniencies for older descriptions: {@link ApiContractOptions.errorsMayUseSuccessStatus},
 * {@link ApiContractOptions.allowUndocumentedProperties}, {@link ApiContractOptions.openEnumProperties}.
 *
 * @param file the description's path
 * @example
 * ```ts
 * const contract = loadApiContract('packages/testing/specs/jira-platform-v3.openapi3.json');
 * expect(contract.checkRequest({ method: 'GET', url: '/rest/api/3/search?jql=project%3DOPS&maxResults=50' })).toEqual([]);
 * expect(contract.checkResponse({ method: 'GET', url: '/rest/api/3/search' }, { status: 200, body: page })).toEqual([]);
 * ```
 */
export function loadApiContract(file: string, options: ApiContractOptions = {}): ApiContract {
  const leniency: SchemaLeniency = {
    allowUndocumentedProperties: options.allowUndocumentedProperties ?? false,
    openEnumProperties: [...(options.openEnumProperties ?? [])].sort(),
  };
  const description = loadDescription(resolve(file), leniency);
  return new DescribedApi(description, options);
}

function loadDescription(path: string, leniency: SchemaLeniency): LoadedDescription {
  const key = `${path} ${JSON.stringify(leniency)}`;
  const known = loaded.get(key);
  if (known) return known;
  const document = readDescription(path);
  const documentId = `https://contracts.patchbay.invalid/${++loadedCount}.json`;
  const { formats, referenced } = normalizeDocument(document, documentId, leniency);
  const operations = new OperationIndex(document, documentId);
  const dialect = String(document.openapi ?? '').startsWith('3.1') ? '2020-12' : 'draft-07';
  const description: LoadedDescription = {
    document,
    operations,
    matcher: new PathMatcher(operations.templates()),
    validators: new SchemaValidators(referenced, documentId, dialect, formats),
  };
  loaded.set(key, description);
  return description;
}

class DescribedApi implements ApiContract {
  readonly title: string;
  readonly #description: LoadedDescription;
  readonly #basePath: string;
  readonly #credentialParameters: readonly string[];
  readonly #errorsMayUseSuccessStatus: boolean;

  constructor(description: LoadedDescription, options: ApiContractOptions) {
    this.#description = description;
    const { document } = description;
    this.title = String((document.info as { title?: unknown } | undefined)?.title ?? 'API');
    this.#basePath = trimSlash(options.basePath ?? defaultBasePath(document));
    this.#credentialParameters = options.credentialParameters ?? ['token'];
    this.#errorsMayUseSuccessStatus = options.errorsMayUseSuccessStatus ?? false;
  }

  match(method: string, path: string): OperationMatch | undefined {
    const found = this.#find(method, path);
    return found && { operationId: found.operation.operationId, pathTemplate: found.operation.pathTemplate };
  }

  checkRequest(request: ContractRequest): string[] {
    const found = this.#find(request.method, request.url);
    if (!found) return [this.#notDocumented(request.method, request.url)];
    return checkRequestAgainst(found.operation, request, {
      validators: this.#description.validators,
      pathParams: found.params,
      credentialParameters: this.#credentialParameters,
    });
  }

  checkResponse(request: Pick<ContractRequest, 'method' | 'url'>, response: ContractResponse): string[] {
    const found = this.#find(request.method, request.url);
    if (!found) return [this.#notDocumented(request.method, request.url)];
    return checkResponseAgainst(found.operation, response, {
      validators: this.#description.validators,
      errorsMayUseSuccessStatus: this.#errorsMayUseSuccessStatus,
    });
  }

  #find(method: string, url: string): (PathMatch & { operation: OperationSpec }) | undefined {
    const { matcher, operations } = this.#description;
    const verb = method.toUpperCase();
    const match = matcher.match(this.#documentedPath(url), (template) =>
      operations.methodsOf(template).includes(verb),
    );
    const operation = match && operations.operation(verb, match.template);
    return match && operation ? { ...match, operation } : undefined;
  }

  #notDocumented(method: string, url: string): string {
    const verb = method.toUpperCase();
    const path = pathOf(url);
    const other = this.#description.matcher.match(this.#documentedPath(url));
    if (!other) return `${verb} ${path}: no documented operation matches this path`;
    const methods = this.#description.operations.methodsOf(other.template).join(', ');
    return `${verb} ${path}: method ${verb} is not documented for ${other.template} (documented: ${methods})`;
  }

  /** The request's path as the description writes it: no query, and no base path when it has one. */
  #documentedPath(url: string): string {
    const path = pathOf(url);
    const base = this.#basePath;
    if (base !== '' && (path === base || path.startsWith(`${base}/`))) return path.slice(base.length) || '/';
    return path;
  }
}

/** The Swagger 2 `basePath`, or the path of the first OpenAPI 3 server URL (`''` for none). */
function defaultBasePath(document: ApiDocument): string {
  if (typeof document.basePath === 'string') return document.basePath;
  const servers = document.servers as { url?: unknown }[] | undefined;
  const url = servers?.[0]?.url;
  if (typeof url !== 'string') return '';
  try {
    // Server URLs may be relative (`/v1`) or templated (`https://{host}/v1`).
    return new URL(url.replace(/\{[^}]*\}/g, 'x'), 'http://base.invalid').pathname;
  } catch {
    return '';
  }
}

function trimSlash(path: string): string {
  return path.replace(/\/+$/, '');
}

function pathOf(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return new URL(url).pathname;
  const start = url.search(/[?#]/);
  return start === -1 ? url : url.slice(0, start);
}
