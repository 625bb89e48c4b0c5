import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBlackhole } from './blackhole.js';
import { isReachable, requireService, serviceUrl } from './services.js';

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

/** A loopback port nothing listens on (bound, then freed): connecting is refused at once. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen();
  server.close();
  await once(server, 'close');
  return port;
}

// The pattern the helper documents, run for real: a top-level await, then describe.skipIf. The
// service is pointed at a closed port with CI unset, so the gated suite must be skipped.
const savedEnv = { CI: process.env.CI, AMQP_URL: process.env.AMQP_URL };
const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
delete process.env.CI;
process.env.AMQP_URL = `amqp://127.0.0.1:${await closedPort()}`;
const absent = await requireService('amqp');
const warnedAtTopLevel = warn.mock.calls.length;
warn.mockRestore();
Object.assign(process.env, savedEnv);
for (const [name, value] of Object.entries(savedEnv)) if (value === undefined) delete process.env[name];

describe.skipIf(!absent.available)('a suite gated on an unreachable service', () => {
  it('is skipped, so this never runs', () => {
    expect.fail('describe.skipIf did not skip after a top-level await');
  });
});

describe('serviceUrl', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('falls back to the loopback defaults', () => {
    vi.stubEnv('REDIS_URL', '');
    vi.stubEnv('DATABASE_URL', undefined);
    vi.stubEnv('AMQP_URL', undefined);
    expect(serviceUrl('redis')).toBe('redis://127.0.0.1:6379');
    expect(serviceUrl('postgres')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(serviceUrl('amqp')).toBe('amqp://guest:guest@127.0.0.1:5672');
  });

  it('prefers the environment', () => {
    vi.stubEnv('REDIS_URL', 'redis://cache:6380/2');
    vi.stubEnv('DATABASE_URL', 'postgres://app@db/app');
    vi.stubEnv('AMQP_URL', 'amqp://mq');
    expect(serviceUrl('redis')).toBe('redis://cache:6380/2');
    expect(serviceUrl('postgres')).toBe('postgres://app@db/app');
    expect(serviceUrl('amqp')).toBe('amqp://mq');
  });
});

describe('isReachable', () => {
  it('is true when something accepts on host:port', async () => {
    const { server, port } = await listen();
    try {
      expect(await isReachable(`redis://127.0.0.1:${port}`)).toBe(true);
      expect(await isReachable(`postgres://user:pw@127.0.0.1:${port}/db`)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('is false when the connection is refused', async () => {
    expect(await isReachable(`redis://127.0.0.1:${await closedPort()}`)).toBe(false);
  });

  it('is false for a URL it cannot parse', async () => {
    expect(await isReachable('not a url')).toBe(false);
    expect(await isReachable('unknown-scheme://127.0.0.1')).toBe(false);
  });

  it('gives up after about a second when the handshake never completes', async () => {
    await using hole = await startBlackhole();
    const started = performance.now();
    expect(await isReachable(hole.url)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe('requireService', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('returns the URL when the service answers', async () => {
    const { server, port } = await listen();
    try {
      vi.stubEnv('REDIS_URL', `redis://127.0.0.1:${port}`);
      expect(await requireService('redis')).toEqual({
        available: true,
        url: `redis://127.0.0.1:${port}`,
      });
    } finally {
      server.close();
    }
  });

  it('warns loudly and reports unavailable outside CI', async () => {
    const port = await closedPort();
    vi.stubEnv('CI', undefined);
    vi.stubEnv('REDIS_URL', `redis://:secret@127.0.0.1:${port}`);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const status = await requireService('redis');
    expect(status).toEqual({ available: false, reason: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain('SKIPPING REDIS TESTS');
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('secret');
  });

  it('throws under CI=true', async () => {
    const port = await closedPort();
    vi.stubEnv('CI', 'true');
    vi.stubEnv('DATABASE_URL', `postgres://postgres:secret@127.0.0.1:${port}/test`);
    const error = await requireService('postgres').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `postgres is required under CI=true but 127.0.0.1:${port} is unreachable`,
    );
  });

  it('warned once for the top-level check above', () => {
    expect(absent.available).toBe(false);
    expect(warnedAtTopLevel).toBe(1);
  });
});
