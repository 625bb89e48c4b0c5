import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startBlackhole } from './blackhole.js';

/** Tries a TCP connection and tells how it ended within `ms`. */
function tryConnect(url: string, ms: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(e.code ?? e.message);
    });
  });
}

describe('startBlackhole', () => {
  it('gives a loopback URL where connection attempts hang instead of failing', async () => {
    await using hole = await startBlackhole();
    expect(hole.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const attempts = await Promise.all([1, 2, 3].map(() => tryConnect(hole.url, 300)));
    expect(attempts).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('keeps hanging past the first SYN retransmission', async () => {
    await using hole = await startBlackhole();
    expect(await tryConnect(hole.url, 1_500)).toBe('timeout');
  });

  it('makes fetch wait until its own deadline', async () => {
    await using hole = await startBlackhole();
    const started = Date.now();
    const error = await fetch(hole.url, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('frees the port on close: connections are refused afterwards', async () => {
    const hole = await startBlackhole();
    await hole.close();
    await hole.close();
    expect(await tryConnect(hole.url, 5_000)).toBe('ECONNREFUSED');
  });
});
