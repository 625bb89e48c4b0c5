import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody, readRequestHead, recordRequest } from './recorded-request.js';
import { RouteTable } from './route-table.js';
import { sendFakeResponse } from './send-response.js';
import type { FakeMethod, FakeResponse, RecordedRequest, Responder } from './types.js';

/** Where a fake upstream listens. */
export interface FakeUpstreamOptions {
  /**
   * The address to listen on. Keep it on loopback.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * The port; `0` picks a free one.
   * @default 0
   */
  port?: number;
}

/**
 * A real HTTP server on loopback that plays a scripted upstream API and records every request.
 * Start one with {@link startFakeUpstream}.
 *
 * @example
 * ```ts
 * await using up = await startFakeUpstream();
 * up.on('GET', '/repos/:owner/:repo', reply.serverError(503), reply.json(200, { name: 'api' }));
 * expect((await fetch(`${up.url}/repos/acme/api`)).status).toBe(503);
 * expect(await (await fetch(`${up.url}/repos/acme/api`)).json()).toEqual({ name: 'api' });
 * expect(up.requestsTo('GET', '/repos/acme/api')).toHaveLength(2);
 * ```
 */
export interface FakeUpstream extends AsyncDisposable {
  /** The base URL, e.g. `'http://127.0.0.1:41234'` (no trailing slash). */
  readonly url: string;
  /** Every request received, in arrival order (a request counts once its body has arrived). */
  readonly requests: readonly RecordedRequest[];
  /** How many TCP connections the server has accepted so far; compare with the request count to check keep-alive reuse. */
  readonly connections: number;
  /**
   * Scripts a route. Each matching request takes the next response of the sequence; the last one
   * repeats forever. `path` may hold `:param` segments and end with `*`. When several routes match,
   * the one registered last wins; registering the same method and path again replaces the old route
   * (and restarts its sequence). Unmatched requests get a 404 `{"message":"no fake route for GET /x"}`.
   *
   * @param method an HTTP method, or `'*'` for any
   * @returns this upstream, for chaining
   * @example
   * ```ts
   * up.on('GET', '/user', reply.json(200, { login: 'octocat' }))
   *   .on('POST', '/repos/:owner/:repo/issues', reply.rateLimited({ retryAfter: 1 }), (req) =>
   *     reply.json(201, { number: 1, title: (req.json() as { title: string }).title }),
   *   )
   *   .on('*', '/admin/*', reply.status(403));
   * ```
   */
  on(method: FakeMethod, path: string, first: Responder, ...then: Responder[]): this;
  /**
   * The requests with exactly this method and path (the path without query string, not a pattern).
   * @example
   * ```ts
   * expect(up.requestsTo('GET', '/search/repositories')[0]?.query).toEqual({ q: 'cli' });
   * ```
   */
  requestsTo(method: string, path: string): RecordedRequest[];
  /** Forgets every route and every recorded request (the connection count stays). */
  reset(): void;
  /**
   * Stops the server and destroys every connection, even mid-response; pending delays end at once.
   * Safe to call twice.
   */
  close(): Promise<void>;
}

class FakeUpstreamServer implements FakeUpstream {
  readonly url: string;
  #server: Server;
  #routes = new RouteTable();
  #requests: RecordedRequest[] = [];
  #connections = 0;
  #sockets = new Set<Socket>();
  #closing = new AbortController();
  #closed: Promise<void> | undefined;

  constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
    server.on('connection', (socket: Socket) => {
      this.#connections++;
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.#handle(req, res));
  }

  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  get connections(): number {
    return this.#connections;
  }

  on(method: FakeMethod, path: string, first: Responder, ...then: Responder[]): this {
    this.#routes.add(method, path, [first, ...then]);
    return this;
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    const upper = method.toUpperCase();
    return this.#requests.filter((r) => r.method === upper && r.path === path);
  }

  reset(): void {
    this.#routes.clear();
    this.#requests = [];
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    this.#closing.abort(new Error('fake upstream closed'));
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await stopped;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Aborts when the upstream closes or the client goes away, so no delay outlives its response.
    const gone = new AbortController();
    res.once('close', () => gone.abort(new Error('response closed')));
    const signal = AbortSignal.any([this.#closing.signal, gone.signal]);
    try {
      const head = readRequestHead(req);
      const body = await readBody(req);
      const hit = this.#routes.take(head.method, head.path);
      const request = recordRequest(head, body, hit?.params ?? {});
      this.#requests.push(request);
      const spec = hit ? await this.#resolve(hit.responder, request) : notFound(request);
      await sendFakeResponse(res, spec, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (res.headersSent) res.destroy();
      else sendError(res, error);
    }
  }

  async #resolve(responder: Responder, request: RecordedRequest): Promise<FakeResponse> {
    if (typeof responder !== 'function') return responder;
    try {
      return await responder(request);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        status: 500,
        json: { message: `fake route for ${request.method} ${request.path} threw: ${reason}` },
      };
    }
  }
}

function notFound(request: RecordedRequest): FakeResponse {
  return { status: 404, json: { message: `no fake route for ${request.method} ${request.path}` } };
}

function sendError(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: `fake upstream failed: ${message}` }));
}

/**
 * Starts a {@link FakeUpstream} on loopback (`127.0.0.1`, a free port unless told otherwise).
 * Close it with `await up.close()`, or declare it with `await using`.
 *
 * @example
 * ```ts
 * const up = await startFakeUpstream();
 * up.on('GET', '/rate_limit', reply.json(200, { resources: {} }));
 * const res = await fetch(`${up.url}/rate_limit`);
 * await up.close();
 * ```
 */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  server.listen({ host, port: options.port ?? 0 });
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  return new FakeUpstreamServer(server, `http://${shown}:${port}`);
}
