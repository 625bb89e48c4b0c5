import { createRequire } from 'node:module';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Principal } from '../server/auth.js';
import type { CallContext, McpTools } from './mcp-tools.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * One schema validator for every server of the process. A `Server` builds its own Ajv (with every
 * format) unless given one, and it only uses it for elicitation, which the hub never asks for: at a
 * server per stateless request that construction was most of the request's cost.
 */
let sharedValidator: AjvJsonSchemaValidator | undefined;

export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Who calls, for one request: from the HTTP request's token, or fixed for stdio. (A caller that
 * goes away cancels its requests through the protocol, so the handler's own signal ends the call.)
 */
export type CallerOf = (extra: HandlerExtra) => { principal: Principal | undefined };

/** Told to the client at initialization; many clients hand it to the model. */
export const MCP_INSTRUCTIONS = [
  'Patchbay: tools that reach external services (issue trackers, code hosting, chat, payments, …).',
  'Each tool is <integration>_<operation>. With many tools, call search_tools with keywords first.',
  'Every tool answers structuredContent {result} on success or {error} on failure (also as JSON text).',
  'error.retryable=true means try again later (after error.retryAfter seconds when given); false means',
  'fix the input (error.issues names the fields) or stop. error.deadLetterId: the write was kept for',
  'replay; do not resend it. Write tools take dry_run: true to show the request they would send,',
  'without sending it. Some writes wait for an admin to approve them (see the tool description).',
].join(' ');

/**
 * An MCP server (the SDK's low-level `Server`: the tool list differs per caller and is built
 * from JSON Schemas, which `McpServer.registerTool` does not fit) answering tools/list and
 * tools/call from `tools`, for whichever transport it is connected to.
 */
export function createMcpServer(tools: McpTools, callerOf: CallerOf): Server {
  sharedValidator ??= new AjvJsonSchemaValidator();
  const server = new Server(
    { name: 'patchbay', title: 'Patchbay integration hub', version },
    {
      capabilities: { tools: { listChanged: true } },
      instructions: MCP_INSTRUCTIONS,
      jsonSchemaValidator: sharedValidator,
    },
  );
  // Malformed messages, unacceptable headers, a client gone mid-answer: the client was told; we note it.
  server.onerror = (error) => tools.log?.debug({ err: error }, 'MCP protocol error');
  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => ({
    tools: tools.list(callerOf(extra).principal) as Tool[],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    const context: CallContext = {
      principal: callerOf(extra).principal,
      signal: extra.signal,
      ...(progressToken === undefined
        ? {}
        : {
            sendProgress: (progress: number, message: string) =>
              extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress, message },
              }),
          }),
    };
    return tools.call(request.params, context);
  });
  return server;
}
