import { once } from 'node:events';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** A service that answers every chunk with `echo:<chunk>`, counting what it saw close. */
let service: Server;
let servicePort: number;
/** This test's service sockets, and how many of them closed (each test has its own). */
let seen: { sockets: Socket[]; closed: number };
let proxy: TcpProxy;

beforeEach(async () => {
  const mine: typeof seen = { sockets: [], closed: 0 };
  seen = mine;
  service = createServer((socket) => {
    mine.sockets.push(socket);
    socket.on('error', () => {});
    socket.on('data', (chunk) => socket.write(`echo:${chunk.toString()}`));
    socket.on('close', () => {
      mine.closed++;
    });
  });
  service.listen(0, '127.0.0.1');
  await once(service, 'listening');
  const address = service.address();
  servicePort = typeof address === 'object' && address ? address.port : 0;
  proxy = await startTcpProxy({ host: '127.0.0.1', port: servicePort });
});

afterEach(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => service.close(() => resolve()));
});

async function open(): Promise<Socket> {
  const socket = tcpConnect({ host: proxy.host, port: proxy.port });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

async function roundTrip(socket: Socket, text: string): Promise<string> {
  socket.write(text);
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  return chunk.toString();
}

/** Resolves when the socket ends, with whether any byte arrived first. */
function ended(socket: Socket): Promise<{ gotData: boolean }> {
  let gotData = false;
  socket.on('data', () => {
    gotData = true;
  });
  return new Promise((resolve) => socket.once('close', () => resolve({ gotData })));
}

describe('startTcpProxy', () => {
  it('forwards bytes both ways and counts the connection', async () => {
    const socket = await open();
    expect(await roundTrip(socket, 'ping')).toBe('echo:ping');
    expect(proxy.openConnections).toBe(1);
    expect(proxy.forwarded).toBe(1);
    socket.destroy();
  });

  it('cut() drops open connections on both sides and refuses new ones until restore()', async () => {
    const socket = await open();
    expect(await roundTrip(socket, 'a')).toBe('echo:a');
    const clientEnd = ended(socket);
    proxy.cut();
    await clientEnd;
    await expect.poll(() => seen.closed).toBe(1);
    expect(proxy.isCut).toBe(true);
    expect(proxy.openConnections).toBe(0);

    const refused = tcpConnect({ host: proxy.host, port: proxy.port });
    refused.on('error', () => {});
    refused.write('hello?');
    expect(await ended(refused)).toEqual({ gotData: false });
    expect(proxy.forwarded).toBe(1);
    expect(proxy.refused).toBe(1);

    proxy.restore();
    const again = await open();
    expect(await roundTrip(again, 'b')).toBe('echo:b');
    expect(proxy.forwarded).toBe(2);
    again.destroy();
  });

  it('the service closing a connection closes the client side too', async () => {
    const socket = await open();
    expect(await roundTrip(socket, 'x')).toBe('echo:x');
    const clientEnd = ended(socket);
    for (const s of seen.sockets) s.destroy();
    await clientEnd;
    expect(proxy.openConnections).toBe(0);
  });

  it('rewrites a URL target to point at the proxy, keeping credentials', async () => {
    const byUrl = await startTcpProxy(`amqp://guest:s3cret@127.0.0.1:${servicePort}/vhost?heartbeat=5`);
    try {
      expect(byUrl.url).toBe(`amqp://guest:s3cret@127.0.0.1:${byUrl.port}/vhost?heartbeat=5`);
    } finally {
      await byUrl.close();
    }
    expect(proxy.url).toBeUndefined();
  });

  it('close() frees the port', async () => {
    const port = proxy.port;
    await proxy.close();
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});
