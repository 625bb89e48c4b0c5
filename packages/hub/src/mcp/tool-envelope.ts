import type { JsonSchema } from '../tools/json-schema.js';

/**
 * Every tool's structured answer is one of three envelopes, and its `outputSchema` says so:
 * `{ result }` (what the operation returned, in its own schema), `{ error }` (the typed error
 * body) or `{ dryRun }` (the write it would send). One shape for all tools means an array or a
 * string result has a place (MCP wants an object), an error result still matches the tool's
 * output schema (clients validate `structuredContent` whenever it is there), and an agent reads
 * `error.type` / `error.retryable` the same way everywhere.
 */
export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    'Why the call failed. retryable=true: try again later (after retryAfter seconds when given); ' +
    'false: change the input (see issues) or stop.',
  properties: {
    type: {
      type: 'string',
      description:
        'IntegrationValidationError, IntegrationRateLimited, CircuitOpenError, IntegrationTemporaryError, ' +
        'IntegrationPermanentError, IntegrationTimeoutError, IntegrationAuthError, IntegrationDisabled, ' +
        'IntegrationNotConfigured, HubAuthError, HubNotFound, ApprovalDenied, ApprovalTimedOut, …',
    },
    message: { type: 'string' },
    retryable: { type: 'boolean' },
    retryAfter: { type: 'number', description: 'Seconds to wait before trying again.' },
    code: { type: 'string' },
    httpStatus: { type: 'integer' },
    status: { type: 'integer', description: "The upstream's HTTP status, when it answered." },
    integration: { type: 'string' },
    operation: { type: 'string' },
    issues: {
      type: 'array',
      description: 'The fields at fault, by path (e.g. "labels.0").',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
    deadLetterId: {
      type: 'string',
      description: 'The failed write was kept in the dead-letter queue under this id; do not resend it.',
    },
    approvalId: { type: 'string' },
    reason: { type: 'string' },
  },
  required: ['type', 'message', 'retryable'],
};

export const DRY_RUN_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'The request the write would send (secrets redacted); nothing was sent.',
  properties: {
    operation: { type: 'string' },
    request: {
      anyOf: [
        {
          type: 'object',
          properties: {
            method: { type: 'string' },
            url: { type: 'string' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
            body: {},
            idempotencyKey: { type: 'string' },
          },
          required: ['method', 'url', 'headers'],
        },
        { type: 'null' },
      ],
    },
  },
  required: ['operation', 'request'],
};

/** The output schema of a tool whose operation returns `result` (any JSON when it declares no schema). */
export function envelopeSchema(result: JsonSchema | undefined, options: { dryRun: boolean }): JsonSchema {
  // The result's `$defs` move to the root: its `$ref`s point at `#/$defs/…` of the document.
  const { $defs, ...resultSchema } = result ?? {};
  return {
    type: 'object',
    properties: {
      result: resultSchema,
      error: ERROR_SCHEMA,
      ...(options.dryRun ? { dryRun: DRY_RUN_SCHEMA } : {}),
    },
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    ...($defs ? { $defs } : {}),
  };
}
