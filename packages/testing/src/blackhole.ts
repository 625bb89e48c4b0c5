import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/**
 * A loopback address where a new TCP connection never completes. Start one with {@link startBlackhole}.
 */
export interface Blackhole extends AsyncDisposable {
  /** The base URL, e.g. `'http://127.0.0.1:41235'` (no trailing slash). */
  readonly url: string;
  /** Frees the port: connection attempts still waiting then fail with ECONNREFUSED. Safe to call twice. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const BACKLOG = 1;
/** How long a probe connection may take before the accept queue counts as full. */
const PROBE_MS = 250;
/** A first filler that does not connect within this is already hanging: the queue is full. */
const FILLER_MS = 5_000;
const MAX_FILLERS = 16;

// Runs in a worker thread, as CommonJS. The listener is created there because a Node server always
// accepts: here the thread blocks for good once listening, so nothing ever calls accept(2).
const LISTENER = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.on('error', (error) => { throw error; });
server.listen({ host: '${HOST}', port: 0, backlog: ${BACKLOG} }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
`;

/**
 * Starts a {@link Blackhole}: a loopback port whose TCP handshake never completes, to test connect
 * timeouts without sending a packet off the machine.
 *
 * How: a listener with a backlog of 1 that never accepts (its thread is blocked), then filler
 * connections until its accept queue is full (on Linux, backlog + 1 of them). From then on the kernel
 * drops every SYN to that port, so a client's connect waits (and retransmits) until its own timeout:
 * no SYN-ACK, no RST, no ECONNREFUSED. Starting one takes a probe of about 250 ms, which checks that
 * a connection attempt really hangs.
 *
 * @example
 * ```ts
 * await using hole = await startBlackhole();
 * const agent = new undici.Agent({ connect: { timeout: 300 } });
 * await expect(undici.request(hole.url, { dispatcher: agent })).rejects.toMatchObject({
 *   code: 'UND_ERR_CONNECT_TIMEOUT',
 * });
 * ```
 */
export async function startBlackhole(): Promise<Blackhole> {
  const worker = new Worker(LISTENER, { eval: true });
  const fillers: Socket[] = [];
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      for (const socket of fillers) socket.destroy();
      await worker.terminate();
    })();
    return closed;
  };
  try {
    const [port] = (await once(worker, 'message')) as [number];
    // Only now: while starting, the worker must keep the process alive.
    worker.unref();
    await fillAcceptQueue(port, fillers);
    return { url: `http://${HOST}:${port}`, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function fillAcceptQueue(port: number, fillers: Socket[]): Promise<void> {
  for (let i = 0; i < MAX_FILLERS; i++) {
    const socket = connect({ host: HOST, port });
    socket.on('error', () => {}); // reset when the blackhole closes; nobody reads it
    const connected = await connectsWithin(socket, i <= BACKLOG ? FILLER_MS : PROBE_MS);
    if (!connected) {
      socket.destroy();
      return;
    }
    socket.unref();
    fillers.push(socket);
  }
  throw new Error(`blackhole: port ${port} still completes handshakes after ${MAX_FILLERS} connections`);
}

function connectsWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
