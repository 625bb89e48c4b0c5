import { randomUUID } from 'node:crypto';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@patchbay/core';
import type { Principal } from '../server/auth.js';
import { HubError } from '../server/hub-errors.js';
import type { IntegrationHost } from '../server/integration-host.js';
import { type CallerOf, createMcpServer } from './mcp-server.js';
import type { McpTools } from './mcp-tools.js';

/** What a tools handler learns about the HTTP request that carried its message. */
export interface HttpCaller {
  principal: Principal;
}

/** The caller of a message, from the `authInfo` its HTTP request handed the transport. */
export function httpCaller(authInfo: AuthInfo | undefined): HttpCaller | undefined {
  const principal = (authInfo?.extra as Partial<HttpCaller> | undefined)?.principal;
  return principal ? { principal } : undefined;
}

/** One MCP session: its server and transport, and who opened it. */
export interface McpSession {
  readonly id: string;
  readonly principalId: string;
  /** The principal of the session's last request (a token's limits are read fresh on every request). */
  principal: Principal;
  readonly server: Server;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  lastSeen: number;
  /** Answers still being written: the `GET /mcp` stream, POST answers of calls in progress. */
  openResponses: number;
  /** The tool list the client was last told about (see `McpTools.listKey`). */
  listKey: string;
}

export interface McpSessionOptions {
  /** A session without requests and without an answer in progress for this long is closed, ms. @default 1800000 */
  sessionIdleMs?: number;
  /** Sessions held at most; past it the longest idle one without a stream is closed. @default 10000 */
  maxSessions?: number;
  log?: Logger;
  now?: () => number;
}

/**
 * The MCP sessions of this process. A session holds the client's `GET /mcp` stream, on which
 * `notifications/tools/list_changed` goes out when configuration changes what the session's
 * token may call. Sessions carry no authority and no state but that stream (every request is
 * authenticated by its own bearer token), so a request for a session this process does not
 * know (another hub process opened it, or this one restarted) resumes it here under the same id
 * instead of failing with 404: several hub processes behind one address need no sticky routing.
 */
export class McpSessions {
  private readonly sessions = new Map<string, McpSession>();
  private readonly resuming = new Map<string, Promise<McpSession>>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(
    private readonly tools: McpTools,
    host: IntegrationHost,
    private readonly options: McpSessionOptions = {},
  ) {
    this.idleMs = options.sessionIdleMs ?? 30 * 60_000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.idleMs / 2));
    this.sweeper.unref();
    this.unsubscribe = host.onChange(() => this.announceToolLists());
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): McpSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * A new session for an `initialize` request; it is kept once the transport has answered the
   * initialization (see {@link settle}).
   */
  async open(principal: Principal): Promise<McpSession> {
    this.makeRoom();
    return this.build(randomUUID(), principal);
  }

  /**
   * Cancels these requests of the session, as if its client had sent `notifications/cancelled`:
   * what a client means when it goes away before its answers (the calls' signals abort, so an
   * upstream call stops and a wait for approval ends).
   */
  cancel(session: McpSession, requestIds: readonly (string | number)[], reason: string): void {
    for (const requestId of requestIds) {
      session.transport.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId, reason },
      });
    }
  }

  /** Drops a session that was opened but did not initialize (a bad `initialize`). */
  async settle(session: McpSession): Promise<void> {
    if (!this.sessions.has(session.id)) await session.server.close().catch(() => undefined);
  }

  /** The session `id`, resumed in this process: initialized in place, as its client did elsewhere. */
  resume(id: string, principal: Principal, protocolVersion: string | undefined): Promise<McpSession> {
    let pending = this.resuming.get(id);
    if (!pending) {
      pending = this.initializeInPlace(id, principal, protocolVersion).finally(() =>
        this.resuming.delete(id),
      );
      this.resuming.set(id, pending);
    }
    return pending;
  }

  /** Closes every session (their streams end), so a closing server is not held open by them. */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    this.unsubscribe();
    await Promise.allSettled([...this.sessions.values()].map((session) => session.server.close()));
    this.sessions.clear();
  }

  private async initializeInPlace(
    id: string,
    principal: Principal,
    protocolVersion: string | undefined,
  ): Promise<McpSession> {
    this.makeRoom();
    const session = await this.build(id, principal);
    const version =
      protocolVersion && SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion)
        ? protocolVersion
        : LATEST_PROTOCOL_VERSION;
    const post = () =>
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
      });
    const initialized = await session.transport.handleRequest(post(), {
      parsedBody: {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: version,
          capabilities: {},
          clientInfo: { name: 'patchbay-resumed-session', version: '1' },
        },
      },
    });
    await initialized.text();
    const notified = await session.transport.handleRequest(post(), {
      parsedBody: { jsonrpc: '2.0', method: 'notifications/initialized' },
    });
    await notified.text();
    if (!this.sessions.has(id)) {
      await session.server.close().catch(() => undefined);
      throw new HubError('HubError', 500, `MCP session ${id} could not be resumed`, {
        code: 'SESSION_RESUME',
      });
    }
    this.options.log?.info({ sessionId: id }, 'MCP session resumed in this process');
    return session;
  }

  private async build(id: string, principal: Principal): Promise<McpSession> {
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      onsessioninitialized: () => {
        this.sessions.set(id, session);
      },
    });
    // The principal of the HTTP request that carried the message; never "no principal" (which
    // means a local command with every right).
    const callerOf: CallerOf = (extra) => {
      const caller = httpCaller(extra.authInfo);
      return caller ?? { principal: session.principal };
    };
    const server = createMcpServer(this.tools, callerOf);
    const session: McpSession = {
      id,
      principalId: principal.id,
      principal,
      server,
      transport,
      lastSeen: this.now(),
      openResponses: 0,
      listKey: this.tools.listKey(principal),
    };
    server.onclose = () => {
      if (this.sessions.get(id) === session) this.sessions.delete(id);
    };
    await server.connect(transport);
    return session;
  }

  /** Tells each session whose tool list changed (its token's view of it). */
  private announceToolLists(): void {
    for (const session of this.sessions.values()) {
      const key = this.tools.listKey(session.principal);
      if (key === session.listKey) continue;
      session.listKey = key;
      session.server.sendToolListChanged().catch((error: unknown) => {
        this.options.log?.debug({ err: error, sessionId: session.id }, 'list_changed not delivered');
      });
    }
  }

  private sweep(): void {
    const cutoff = this.now() - this.idleMs;
    for (const session of this.sessions.values()) {
      if (session.openResponses === 0 && session.lastSeen < cutoff) void session.server.close();
    }
  }

  /** At the cap, closes the longest idle session without an answer in progress; refuses when all have one. */
  private makeRoom(): void {
    if (this.sessions.size < this.maxSessions) return;
    let oldest: McpSession | undefined;
    for (const session of this.sessions.values()) {
      if (session.openResponses === 0 && (!oldest || session.lastSeen < oldest.lastSeen)) oldest = session;
    }
    if (!oldest) {
      throw new HubError('HubError', 503, 'Too many open MCP sessions; try again later', {
        code: 'TOO_MANY_SESSIONS',
      });
    }
    this.sessions.delete(oldest.id);
    void oldest.server.close();
  }
}
