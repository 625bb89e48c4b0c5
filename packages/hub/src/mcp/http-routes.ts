import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Logger } from '@patchbay/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../server/auth.js';
import { forbidden, unauthenticated } from '../server/hub-errors.js';
import {
  type HttpCaller,
  httpCaller,
  type McpSession,
  type McpSessionOptions,
  McpSessions,
} from './http-sessions.js';
import { lenientMessage } from './lenient-messages.js';
import { createMcpServer } from './mcp-server.js';
import { type McpDeps, McpTools } from './mcp-tools.js';

export interface McpHttpOptions extends Omit<McpSessionOptions, 'log'> {
  /**
   * Keep sessions (`Mcp-Session-Id`, `GET /mcp` streams with `list_changed`). `false` answers
   * every POST on its own (stateless) and `GET /mcp` with 405.
   * @default true
   */
  sessions?: boolean;
}

/** What {@link registerMcpRoutes} hands back. */
export interface McpHttpHandle {
  readonly tools: McpTools;
  /** Sessions open in this process. */
  readonly sessionCount: number;
}

/** Headers the transport reads; the rest (the bearer token above all) never reach MCP handlers. */
const FORWARDED_HEADERS = [
  'accept',
  'content-type',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
];
const STREAM_OPENED = new TextEncoder().encode(': stream open\n\n');

/**
 * MCP over Streamable HTTP at `/mcp` (POST messages, GET the session's notification stream,
 * DELETE to end a session), on the hub's Fastify app: bearer token, operator scope (the hub's
 * request hook authenticates; the route's scope is checked there). Tools are the caller's
 * token's: its integrations, only reads for a read-only token.
 *
 * Sessions (the default): `initialize` opens one; its `GET /mcp` stream receives
 * `notifications/tools/list_changed` when configuration changes the caller's tools. A request
 * naming a session another hub process opened resumes it here (see `McpSessions`). A POST
 * without a session id is answered statelessly (no notifications). Call before `hub.start()`.
 * @example
 * registerMcpRoutes(hub.app, { integrations: hub.integrations, invoker: hub.invoker, approvals });
 */
export function registerMcpRoutes(app: FastifyInstance, deps: McpDeps & McpHttpOptions): McpHttpHandle {
  const log = deps.log ?? (app.log as unknown as Logger);
  const tools = new McpTools({ ...deps, log });
  const sessions =
    deps.sessions === false ? undefined : new McpSessions(tools, deps.integrations, { ...deps, log });

  app.route({
    method: ['POST', 'GET', 'DELETE'],
    url: '/mcp',
    config: { scope: 'operator' },
    handler: async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw unauthenticated('Missing Authorization: Bearer <token>');
      authorize(principal, 'operator');
      const caller: HttpCaller = { principal };
      const authInfo: AuthInfo = {
        token: '',
        clientId: principal.id,
        scopes: [...principal.scopes],
        extra: { ...caller },
      };
      let body: unknown;
      if (request.method === 'POST') {
        if (request.body === undefined)
          return reply.code(400).send(rpcError(-32700, 'Parse error: empty body'));
        body = lenientMessage(request.body);
      }
      const sessionId = headerOf(request, 'mcp-session-id');
      if (!sessions) {
        if (request.method !== 'POST') return reply.code(405).header('allow', 'POST').send();
        return reply.send(await stateless(tools, request, reply, body, caller, authInfo));
      }

      let session: McpSession;
      let opened = false;
      if (sessionId !== undefined) {
        const known = sessions.get(sessionId);
        if (!known && request.method === 'DELETE') return reply.code(200).send();
        session =
          known ?? (await sessions.resume(sessionId, principal, headerOf(request, 'mcp-protocol-version')));
        if (session.principalId !== principal.id)
          throw forbidden('This MCP session belongs to another token');
      } else if (request.method === 'POST' && isInitialize(body)) {
        session = await sessions.open(principal);
        opened = true;
      } else if (request.method === 'POST') {
        return reply.send(await stateless(tools, request, reply, body, caller, authInfo));
      } else {
        return reply.code(400).send(rpcError(-32000, 'Bad Request: Mcp-Session-Id header is required'));
      }

      session.lastSeen = Date.now();
      session.principal = principal;
      const response = await session.transport.handleRequest(webRequest(request), {
        parsedBody: body,
        authInfo,
      });
      if (opened) await sessions.settle(session);
      if (response.body) {
        // An answer still being written (a stream, a long call) keeps the session from idling out;
        // one whose client went away first cancels the calls it was for.
        session.openResponses++;
        reply.raw.once('close', () => {
          session.openResponses--;
          session.lastSeen = Date.now();
          if (!reply.raw.writableEnded) sessions.cancel(session, requestIds(body), 'the client went away');
        });
      }
      return reply.send(isEventStream(response) ? primed(response) : response);
    },
  });

  // Before Fastify waits for requests in flight: open GET streams would hold it forever.
  app.addHook('preClose', async () => {
    await sessions?.closeAll();
  });
  app.addHook('onClose', (_instance, done) => {
    tools.close();
    done();
  });

  return {
    tools,
    get sessionCount() {
      return sessions?.size ?? 0;
    },
  };
}

/**
 * One POST answered by a server of its own (no session): plain JSON, no notifications. The
 * server is left to the garbage collector, unless the client goes away first: closing it then
 * aborts the calls in progress.
 */
async function stateless(
  tools: McpTools,
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  caller: HttpCaller,
  authInfo: AuthInfo,
): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  const server = createMcpServer(tools, (extra) => httpCaller(extra.authInfo) ?? caller);
  await server.connect(transport);
  const gone = () => void server.close();
  reply.raw.once('close', gone);
  try {
    return await transport.handleRequest(webRequest(request), { parsedBody: body, authInfo });
  } finally {
    reply.raw.off('close', gone);
  }
}

/** The request as the SDK's web-standard transport reads it (the body is passed parsed). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Request(`http://localhost${request.url}`, { method: request.method, headers });
}

function isEventStream(response: Response): boolean {
  return response.body !== null && response.headers.get('content-type') === 'text/event-stream';
}

/**
 * An event stream that starts with an SSE comment, so its headers reach the client at once rather
 * than with its first event: the GET stream's first notification may be hours away, and a call
 * that waits for approval answers minutes later (clients and proxies time out waiting for headers).
 */
function primed(response: Response): Response {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(STREAM_OPENED);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/** An `initialize` request (the transport validates it in full). */
function isInitialize(body: unknown): boolean {
  return (body as { method?: unknown } | null)?.method === 'initialize';
}

/** The ids of the JSON-RPC requests in a POST body (one message or a batch). */
function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => {
    const message = m as { id?: unknown; method?: unknown } | null;
    const id = message?.id;
    return typeof message?.method === 'string' && (typeof id === 'string' || typeof id === 'number')
      ? [id]
      : [];
  });
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
