import { chooseMediaType, mediaTypeOf } from './media-types.js';
import type { MediaTypes, OperationSpec } from './operations.js';
import type { SchemaValidators } from './schema-validators.js';
import type { ContractResponse } from './types.js';

/** What checking a response needs besides the response. */
export interface ResponseCheckContext {
  validators: SchemaValidators;
  /** Also accept a body that fails its status's schema when it matches the `default` response. */
  errorsMayUseSuccessStatus: boolean;
}

/**
 * Problems with a response of a documented operation ([] when it conforms). The status picks the
 * documented response: exact (`'404'`), then a range (`'4XX'`), then `'default'`.
 *
 * Leniency: a response documented without content is not checked (descriptions often leave out the
 * `{}` a vendor sends with a 202 or 204).
 */
export function checkResponseAgainst(
  operation: OperationSpec,
  response: ContractResponse,
  context: ResponseCheckContext,
): string[] {
  const status = String(response.status);
  const key = documentedStatusKey(operation, status);
  const subject = `${operation.label} response ${status}`;
  if (key === undefined) {
    return [
      `${subject}: status is not documented (documented: ${[...operation.responses.keys()].join(', ')})`,
    ];
  }
  const problems = checkContent(operation.responses.get(key)!, response, context.validators);
  if (problems.length === 0) return [];
  const fallback = operation.responses.get('default');
  if (context.errorsMayUseSuccessStatus && key !== 'default' && fallback) {
    if (checkContent(fallback, response, context.validators).length === 0) return [];
  }
  return problems.map((problem) => `${subject} ${problem}`);
}

function documentedStatusKey(operation: OperationSpec, status: string): string | undefined {
  const range = `${status[0]}XX`;
  for (const key of operation.responses.keys()) if (key === status) return key;
  for (const key of operation.responses.keys()) if (key.toUpperCase() === range) return key;
  return operation.responses.has('default') ? 'default' : undefined;
}

function checkContent(
  content: MediaTypes,
  response: ContractResponse,
  validators: SchemaValidators,
): string[] {
  if (content.size === 0) return [];
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const contentType = mediaTypeOf(headers['content-type']);
  const chosen = chooseMediaType(content, contentType);
  if (chosen === 'undocumented') {
    return [
      `content type: "${contentType}" is not documented (documented: ${[...content.keys()].join(', ')})`,
    ];
  }
  if (!chosen?.schema) return [];
  if (response.body === undefined || response.body === '') {
    return [`body: is empty, but ${chosen.mediaType} is documented`];
  }
  const problems = validators.check(chosen.schema, response.body, { direction: 'response' });
  return problems.map((problem) => `body: ${problem}`);
}
