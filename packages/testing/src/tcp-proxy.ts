import { once } from 'node:events';
import { createServer, connect as netConnect, type Socket } from 'node:net';

/** Where a {@link TcpProxy} forwards to: a host and port, or a URL that names them. */
export type TcpProxyTarget = { host: string; port: number } | string;

/**
 * A loopback TCP proxy in front of a real service (a broker, a database), with faults a test can
 * switch on and off: {@link TcpProxy.cut} drops every connection and refuses new ones until
 * {@link TcpProxy.restore}. Start one with {@link startTcpProxy}.
 */
export interface TcpProxy extends AsyncDisposable {
  /** Always `'127.0.0.1'`. */
  readonly host: string;
  readonly port: number;
  /**
   * The target URL with its host and port replaced by the proxy's (credentials, path and query
   * kept), e.g. `'amqp://guest:guest@127.0.0.1:41235'`; only when the target was given as a URL.
   */
  readonly url: string | undefined;
  /** Connections open through the proxy right now. */
  readonly openConnections: number;
  /** Connections the proxy has forwarded since it started (refused ones excluded). */
  readonly forwarded: number;
  /** Connections refused while cut (a client's reconnect attempts). */
  readonly refused: number;
  /** Whether the proxy is cut (see {@link TcpProxy.cut}). */
  readonly isCut: boolean;
  /**
   * Simulates losing the network: resets every open connection on both sides (the client and the
   * service each see their peer go away), and from now on accepts new connections only to reset
   * them at once, so a client's reconnect attempts fail fast until {@link TcpProxy.restore}.
   */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Resets every connection and frees the port. Safe to call twice. */
  close(): Promise<void>;
}

function targetOf(target: TcpProxyTarget): { host: string; port: number } {
  if (typeof target !== 'string') return target;
  const parsed = new URL(target);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(parsed.port);
  if (host === '' || !Number.isInteger(port) || port <= 0) {
    throw new Error(`tcp proxy: the target URL must name a host and a port (${parsed.protocol}//…)`);
  }
  return { host, port };
}

/**
 * Starts a {@link TcpProxy} on a free loopback port, forwarding each connection to `target`.
 *
 * @example
 * ```ts
 * await using proxy = await startTcpProxy('amqp://guest:guest@127.0.0.1:5672');
 * const bus = await startCommandBus({ url: proxy.url!, ... });
 * proxy.cut();     // the bus loses its connection and cannot reconnect
 * proxy.restore(); // it reconnects on its next attempt
 * ```
 */
export async function startTcpProxy(target: TcpProxyTarget): Promise<TcpProxy> {
  const upstream = targetOf(target);
  const pairs = new Set<{ client: Socket; service: Socket }>();
  let cut = false;
  let forwarded = 0;
  let refused = 0;

  const drop = (pair: { client: Socket; service: Socket }) => {
    pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.service.resetAndDestroy();
  };

  const server = createServer((client) => {
    client.on('error', () => {}); // a reset is how this proxy (or the client) ends things
    if (cut) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    forwarded++;
    const service = netConnect(upstream);
    service.on('error', () => {});
    const pair = { client, service };
    pairs.add(pair);
    client.pipe(service);
    service.pipe(client);
    // Either side going away ends the pair, so the other side notices as it would without us.
    client.once('close', () => {
      pairs.delete(pair);
      service.destroy();
    });
    service.once('close', () => {
      pairs.delete(pair);
      client.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let url: string | undefined;
  if (typeof target === 'string') {
    const rewritten = new URL(target);
    rewritten.hostname = '127.0.0.1';
    rewritten.port = String(port);
    url = rewritten.toString();
  }

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      cut = true;
      for (const pair of [...pairs]) drop(pair);
      server.close(() => resolve());
    });
    return closed;
  };

  return {
    host: '127.0.0.1',
    port,
    url,
    get openConnections() {
      return pairs.size;
    },
    get forwarded() {
      return forwarded;
    },
    get refused() {
      return refused;
    },
    get isCut() {
      return cut;
    },
    cut() {
      cut = true;
      for (const pair of [...pairs]) drop(pair);
    },
    restore() {
      if (closed) throw new Error('tcp proxy: closed');
      cut = false;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
