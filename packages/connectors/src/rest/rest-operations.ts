import {
  type ApiResponse,
  defineOperation,
  type HttpMethod,
  IntegrationValidationError,
  type OperationContext,
  type OperationDefinition,
} from '@patchbay/core';
import { z } from 'zod';
import type { RestConfig } from './config.js';
import { RestQueryParams, RestRelativePath, RestRequestHeaders, RestResponse } from './request-input.js';

/** Response headers an agent is not shown: a session cookie is a credential. */
const HIDDEN_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2']);

/** The response as the operations return it. */
export function restResponse(response: ApiResponse<unknown>): RestResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !HIDDEN_RESPONSE_HEADERS.has(name)) headers[name] = value;
  }
  return { status: response.status, headers, body: response.body };
}

/** Refuses a per-call header that would replace the API key header of the integration's auth. */
export function checkCallHeaders(
  ctx: OperationContext<RestConfig>,
  headers: Record<string, string> | undefined,
): void {
  const { config } = ctx;
  if (!headers || config.auth !== 'api_key' || config.apiKeyLocation !== 'header') return;
  const keyHeader = config.apiKeyName.toLowerCase();
  const clash = Object.keys(headers).find((name) => name.toLowerCase() === keyHeader);
  if (clash !== undefined) {
    throw new IntegrationValidationError(`Header ${clash} carries the integration's API key`, {
      integration: ctx.integration,
      operation: ctx.operation,
      code: 'INVALID_INPUT',
      issues: [{ path: `headers.${clash}`, message: "is set by the integration's auth, not per call" }],
    });
  }
}

const GetInput = z.object({
  path: RestRelativePath,
  query: RestQueryParams.optional(),
  headers: RestRequestHeaders.optional(),
});

const SendInput = z.object({
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
  path: RestRelativePath,
  query: RestQueryParams.optional(),
  /**
   * Sent as JSON; left out when absent. An object or an array: what JSON APIs take, and a shape
   * every AI provider's tool format can ask for.
   */
  body: z
    .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .optional()
    .describe('JSON request body: an object or an array'),
  headers: RestRequestHeaders.optional(),
});

/**
 * Widens an operation written for the REST config to the general declaration, once (see
 * zendesk's `defineZendeskOperation` for why `OperationInput` needs it).
 */
function restOperation<In extends z.ZodType, Out extends z.ZodType>(
  definition: OperationDefinition<RestConfig, In, Out>,
): OperationDefinition<unknown, In, Out> {
  return defineOperation(definition) as unknown as OperationDefinition<unknown, In, Out>;
}

/** `GET <path>`: a read, repeatable and retried like any read. */
export const restGet = restOperation({
  description: 'GET a path of the REST API; returns status, headers and the parsed body',
  kind: 'read',
  input: GetInput,
  output: RestResponse,
  run: async (ctx, input) => {
    checkCallHeaders(ctx, input.headers);
    const response = await ctx.http.request('GET', input.path, {
      ...(input.query ? { params: input.query } : {}),
      ...(input.headers ? { headers: input.headers } : {}),
    });
    return restResponse(response);
  },
});

/** `POST|PUT|PATCH|DELETE <path>` with an optional JSON body: a write. */
export const restSend = restOperation({
  description:
    'Send a POST, PUT, PATCH or DELETE with an optional JSON body to the REST API; returns status, headers and the parsed body',
  kind: 'write',
  input: SendInput,
  output: RestResponse,
  run: async (ctx, input) => {
    checkCallHeaders(ctx, input.headers);
    const response = await ctx.http.request(input.method as HttpMethod, input.path, {
      ...(input.query ? { params: input.query } : {}),
      ...(input.headers ? { headers: input.headers } : {}),
      ...(input.body === undefined ? {} : { json: input.body }),
    });
    return restResponse(response);
  },
});
