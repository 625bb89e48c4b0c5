import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { GatedOutcome } from '../approvals/index.js';
import type { HubError } from '../server/hub-errors.js';

/** `_meta` key of every tool result: the request id its audit row carries. */
export const REQUEST_ID_META = 'patchbay/requestId';

/**
 * A tool result: the envelope (see tool-envelope.ts) as `structuredContent`, and the same JSON
 * as a text block for clients that show only text to the model.
 */
function toolResult(
  structured: Record<string, unknown>,
  requestId: string,
  isError: boolean,
): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
    ...(isError ? { isError: true } : {}),
    _meta: { [REQUEST_ID_META]: requestId },
  };
}

/** What the invoker (or the approval gate) said, as a tool result. */
export function outcomeResult(outcome: GatedOutcome, requestId: string, dryRun: boolean): CallToolResult {
  if (outcome.ok) {
    if (dryRun) {
      const { dryRun: _flag, ...view } = outcome.result as {
        dryRun: true;
        operation: string;
        request: unknown;
      };
      return toolResult({ dryRun: view }, requestId, false);
    }
    return toolResult({ result: outcome.result }, requestId, false);
  }
  const { body, httpStatus, deadLetterId } = outcome;
  return errorResult(
    { ...body, httpStatus, ...(deadLetterId === undefined ? {} : { deadLetterId }) },
    requestId,
  );
}

/** A typed error body as a failed tool result, so the agent can read it (not a protocol error). */
export function errorResult(body: object, requestId: string): CallToolResult {
  return toolResult({ error: body }, requestId, true);
}

export function hubErrorResult(error: HubError, requestId: string): CallToolResult {
  return errorResult(error.toJSON(), requestId);
}

/** A success answer of one of our own tools (`search_tools`). */
export function ownResult(result: unknown, requestId: string): CallToolResult {
  return toolResult({ result }, requestId, false);
}

/** Something we did not expect: the agent learns that much and the request id; the log has the rest. */
export function unexpectedResult(requestId: string): CallToolResult {
  return errorResult(
    {
      type: 'Error',
      message: `Internal error; see the hub log for request ${requestId}`,
      retryable: false,
      httpStatus: 500,
    },
    requestId,
  );
}
