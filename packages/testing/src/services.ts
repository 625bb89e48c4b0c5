import { connect } from 'node:net';

/** The backing services integration tests may need. */
export type ServiceKind = 'redis' | 'postgres' | 'amqp';

/** Where each service is looked for: an environment variable, else a loopback default. */
const SERVICES: Record<ServiceKind, { env: string; fallback: string }> = {
  redis: { env: 'REDIS_URL', fallback: 'redis://127.0.0.1:6379' },
  postgres: { env: 'DATABASE_URL', fallback: 'postgres://postgres@127.0.0.1:5432/test' },
  amqp: { env: 'AMQP_URL', fallback: 'amqp://guest:guest@127.0.0.1:5672' },
};

/** Ports for URLs that leave the port out, by scheme (without the colon). */
const DEFAULT_PORTS: Record<string, number> = {
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  amqp: 5672,
  amqps: 5671,
};

/** How long {@link isReachable} waits for a TCP handshake. */
const CONNECT_TIMEOUT_MS = 1_000;

/** What {@link requireService} found. */
export type ServiceStatus =
  | { available: true; url: string }
  | {
      available: false;
      /** Why the tests that need it are skipped, e.g. `'redis unreachable at 127.0.0.1:6379'`. */
      reason: string;
    };

/**
 * The URL of a backing service: from `REDIS_URL`, `DATABASE_URL` or `AMQP_URL` when set (and not
 * empty), else the loopback default (`redis://127.0.0.1:6379`,
 * `postgres://postgres@127.0.0.1:5432/test`, `amqp://guest:guest@127.0.0.1:5672`).
 */
export function serviceUrl(kind: ServiceKind): string {
  const { env, fallback } = SERVICES[kind];
  const fromEnv = process.env[env];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : fallback;
}

/**
 * Whether a TCP connection to the URL's host and port completes within 1 s. Only the handshake is
 * tried: no protocol, no credentials. A malformed URL is unreachable.
 */
export async function isReachable(url: string): Promise<boolean> {
  const target = hostPort(url);
  if (!target) return false;
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    const finish = (reachable: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reachable);
    };
    const timer = setTimeout(() => finish(false), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * Checks that a backing service answers, for tests that need it.
 *
 * When it does not: under `CI=true` this throws (a CI run must not pass by skipping the tests that
 * matter); elsewhere it prints a loud warning and returns `{ available: false, reason }`, so the
 * tests are skipped visibly rather than failing on a laptop without the service.
 *
 * Call it with top-level `await` in the test file (vitest collects ESM test files after their
 * top-level awaits settle), then gate the suite with `describe.skipIf`.
 *
 * @example
 * ```ts
 * import { requireService } from '@patchbay/testing';
 * import { describe, it } from 'vitest';
 *
 * const redis = await requireService('redis');
 *
 * describe.skipIf(!redis.available)('RedisStore', () => {
 *   it('talks to Redis', async () => {
 *     if (!redis.available) return; // narrows the type; never taken when the suite runs
 *     const store = new RedisStore({ url: redis.url });
 *     // ...
 *   });
 * });
 * ```
 */
export async function requireService(kind: ServiceKind): Promise<ServiceStatus> {
  const url = serviceUrl(kind);
  if (await isReachable(url)) return { available: true, url };
  const where = describeTarget(url);
  if (process.env.CI === 'true') {
    throw new Error(`${kind} is required under CI=true but ${where} is unreachable`);
  }
  const reason = `${kind} unreachable at ${where}: set ${SERVICES[kind].env} or start it`;
  const rule = '!'.repeat(72);
  console.warn(`\n${rule}\n!! SKIPPING ${kind.toUpperCase()} TESTS: ${reason}\n${rule}\n`);
  return { available: false, reason };
}

/** `host:port` of a service URL, for messages; never includes credentials. */
function describeTarget(url: string): string {
  const target = hostPort(url);
  return target ? `${target.host}:${target.port}` : 'an unparsable URL';
}

function hostPort(url: string): { host: string; port: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // IPv6 literals come back bracketed ('[::1]'); net.connect wants them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port !== '' ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol.slice(0, -1)];
  if (host === '' || port === undefined) return undefined;
  return { host, port };
}
