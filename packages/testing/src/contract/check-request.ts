import { checkFormParameters } from './check-form-parameters.js';
import { type Credentials, credentialsOf, type HeaderMap } from './credentials.js';
import { chooseMediaType, mediaTypeOf } from './media-types.js';
import type { OperationSpec } from './operations.js';
import { checkParameterValues } from './parameter-values.js';
import type { SchemaValidators } from './schema-validators.js';
import type { ContractRequest } from './types.js';

/** What checking a request needs besides the request. */
export interface RequestCheckContext {
  validators: SchemaValidators;
  /** The values of the path template's parameters, percent-decoded. */
  pathParams: Record<string, string>;
  /** Parameter names a sent `Authorization` header stands in for. */
  credentialParameters: readonly string[];
}

/** Header parameters OpenAPI tells tools to ignore: they are governed by `content`, `security` and `produces`. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Problems with a request sent to a documented operation ([] when it conforms). */
export function checkRequestAgainst(
  operation: OperationSpec,
  request: ContractRequest,
  context: RequestCheckContext,
): string[] {
  const headers = request.headers && lowerCaseKeys(request.headers);
  const query = new URLSearchParams(queryOf(request.url));
  const credentials = credentialsOf(operation, context.credentialParameters, query, headers, request.body);
  const problems = [
    ...checkPathParameters(operation, context),
    ...checkQuery(operation, query, credentials, context),
    ...(headers ? checkHeaders(operation, headers, credentials, context) : []),
    ...checkBody(operation, request.body, headers, credentials, context),
  ];
  return problems.map((problem) => labelled(operation, problem));
}

/** `POST /x: problem`, but `POST /x request body: /path problem` for schema problems inside the body. */
function labelled(operation: OperationSpec, problem: string): string {
  return problem.startsWith(BODY_PREFIX) ? `${operation.label} ${problem}` : `${operation.label}: ${problem}`;
}

const BODY_PREFIX = 'request body: ';

function checkPathParameters(
  operation: OperationSpec,
  { pathParams, validators }: RequestCheckContext,
): string[] {
  return operation.parameters
    .filter((parameter) => parameter.in === 'path' && pathParams[parameter.name] !== undefined)
    .flatMap((parameter) =>
      checkParameterValues(parameter, 'path parameter', [pathParams[parameter.name]!], validators),
    );
}

function checkQuery(
  operation: OperationSpec,
  query: URLSearchParams,
  credentials: Credentials,
  context: RequestCheckContext,
): string[] {
  const problems: string[] = [];
  const documented = new Map(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const sent = new Map<string, string[]>();
  const deepObjects = new Map<string, Record<string, string>>();
  for (const [name, value] of query) {
    const deep = /^([^[\]]+)\[([^[\]]*)\]$/.exec(name);
    if (!documented.has(name) && deep && documented.get(deep[1]!)?.deepObject) {
      const object = deepObjects.get(deep[1]!) ?? {};
      object[deep[2]!] = value;
      deepObjects.set(deep[1]!, object);
    } else {
      sent.set(name, [...(sent.get(name) ?? []), value]);
    }
  }
  for (const [name, values] of sent) {
    const parameter = documented.get(name);
    if (parameter)
      problems.push(...checkParameterValues(parameter, 'query parameter', values, context.validators));
    else if (!credentials.names.has(name)) problems.push(`query parameter "${name}" is not documented`);
  }
  for (const [name, object] of deepObjects) {
    const problemsOfObject = context.validators.check(documented.get(name)!.schema, object, { coerce: true });
    problems.push(...problemsOfObject.map((problem) => `query parameter "${name}": ${problem}`));
  }
  for (const parameter of documented.values()) {
    if (!parameter.required || sent.has(parameter.name) || deepObjects.has(parameter.name)) continue;
    if (credentials.satisfies(parameter)) continue;
    problems.push(`required query parameter "${parameter.name}" is missing`);
  }
  return problems;
}

function checkHeaders(
  operation: OperationSpec,
  headers: HeaderMap,
  credentials: Credentials,
  context: RequestCheckContext,
): string[] {
  const problems: string[] = [];
  for (const parameter of operation.parameters) {
    const name = parameter.name.toLowerCase();
    if (parameter.in !== 'header' || IGNORED_HEADERS.has(name)) continue;
    const value = headers[name];
    if (value === undefined) {
      if (parameter.required && !credentials.satisfies(parameter)) {
        problems.push(`required header "${parameter.name}" is missing`);
      }
      continue;
    }
    problems.push(...checkParameterValues(parameter, 'header', [headerText(value)], context.validators));
  }
  return problems;
}

function checkBody(
  operation: OperationSpec,
  body: unknown,
  headers: HeaderMap | undefined,
  credentials: Credentials,
  context: RequestCheckContext,
): string[] {
  const hasBody = body !== undefined && body !== '';
  const contentType = mediaTypeOf(headers?.['content-type']);
  if (operation.formParameters.length > 0 && !operation.requestBody) {
    return checkFormParameters(
      operation.formParameters,
      hasBody ? body : {},
      contentType,
      credentials,
      context.validators,
    );
  }
  const documented = operation.requestBody;
  if (!hasBody) return documented?.required ? ['request body is required but none was sent'] : [];
  if (!documented) return ['a request body was sent but none is documented'];
  const chosen = chooseMediaType(documented.content, contentType);
  if (chosen === 'undocumented') {
    return [
      `request content type "${contentType}" is not documented (documented: ${[...documented.content.keys()].join(', ')})`,
    ];
  }
  if (!chosen?.schema || chosen.mediaType.startsWith('multipart/')) return [];
  const isForm = chosen.mediaType === 'application/x-www-form-urlencoded';
  const value = isForm ? structuredClone(body) : body;
  const problems = context.validators.check(chosen.schema, value, { coerce: isForm, direction: 'request' });
  return problems.map((problem) => BODY_PREFIX + problem);
}

function headerText(value: string | string[]): string {
  return Array.isArray(value) ? value.join(', ') : value;
}

function lowerCaseKeys(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function queryOf(url: string): string {
  const start = url.indexOf('?');
  return start === -1 ? '' : url.slice(start + 1);
}
