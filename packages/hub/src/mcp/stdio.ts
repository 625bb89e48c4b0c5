import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { hasScope, type Principal, TokenAuthenticator } from '../server/auth.js';
import { forbidden } from '../server/hub-errors.js';
import type { TokenRepository } from '../storage/index.js';
import { LenientTransport } from './lenient-messages.js';
import { createMcpServer } from './mcp-server.js';
import { type McpDeps, McpTools } from './mcp-tools.js';

export interface McpStdioOptions extends McpDeps {
  /**
   * Who calls. `undefined`: the local user who started the process (it can read the hub's
   * database and key, so it acts as their owner, like `patchbay call`: every tool, no token
   * limits). Pass the principal of `PATCHBAY_TOKEN` ({@link stdioPrincipal}) to apply a token's
   * limits (its integrations, read-only).
   */
  principal?: Principal | undefined;
  /** @default process.stdin */
  input?: Readable;
  /** @default process.stdout (nothing else may write to it: it carries the protocol) */
  output?: Writable;
}

export interface McpStdioHandle {
  /** Resolves when the client closes the connection (stdin ends). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * An MCP server over stdio, for `patchbay mcp`: one client, the hub's tools, and
 * `notifications/tools/list_changed` when configuration changes them in this process. stdout
 * carries only the protocol; logs belong on stderr (the caller's logger).
 * @example
 * const core = await openHubCore({ config, integrations, logger: stderrLogger });
 * const principal = await stdioPrincipal(core.repositories.tokens, process.env.PATCHBAY_TOKEN);
 * const mcp = await runMcpStdio({ integrations: core.integrations, invoker: core.invoker, principal });
 * await mcp.closed;
 * await core.close();
 */
export async function runMcpStdio(options: McpStdioOptions): Promise<McpStdioHandle> {
  const tools = new McpTools(options);
  const principal = options.principal;
  const server = createMcpServer(tools, () => ({ principal }));
  let listKey = tools.listKey(principal);
  const unsubscribe = options.integrations.onChange(() => {
    const key = tools.listKey(principal);
    if (key === listKey) return;
    listKey = key;
    server.sendToolListChanged().catch(() => undefined);
  });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  server.onclose = () => {
    unsubscribe();
    tools.close();
    resolveClosed();
  };
  const input = options.input ?? process.stdin;
  // The SDK's stdio transport does not notice the end of its input; the client closing it ends the session.
  input.once('end', () => void server.close());
  await server.connect(
    new LenientTransport(new StdioServerTransport(input, options.output ?? process.stdout)),
  );
  return {
    closed,
    async close() {
      await server.close();
      await closed;
    },
  };
}

/**
 * The principal of `PATCHBAY_TOKEN` for `patchbay mcp`, or `undefined` (the local owner) without
 * one. Throws a HubAuthError for an unknown or revoked token or one without the operator scope.
 */
export async function stdioPrincipal(
  tokens: TokenRepository,
  token: string | undefined,
): Promise<Principal | undefined> {
  if (token === undefined || token.trim() === '') return undefined;
  const principal = await new TokenAuthenticator(tokens).authenticate(`Bearer ${token.trim()}`);
  if (!hasScope(principal.scopes, 'operator')) {
    throw forbidden('PATCHBAY_TOKEN needs the operator scope to call tools', 'operator');
  }
  return principal;
}
