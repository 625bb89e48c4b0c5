// Child process of the limiter bench's accuracy phase: one Patchbay client with a rate limit
// (on a MemoryStore, or on a RedisStore shared with sibling processes) and `concurrency` callers
// that call the upstream back to back for `durationMs` from an agreed wall-clock start.
//
// Protocol (IPC): parent → { type: 'setup', ...WorkerSetup }; child → { type: 'ready' };
// parent → { type: 'go', startAt, durationMs }; child → { type: 'done', ...WorkerReport }, then
// exits. Errors → { type: 'error', message }.
import { setMaxListeners } from 'node:events';
import { createClient, isIntegrationError, MemoryStore, RedisStore, type StateStore } from '@patchbay/core';

export interface WorkerSetup {
  origin: string;
  store: 'memory' | 'redis';
  redisUrl: string;
  keyPrefix: string;
  /** the client's name: processes with the same name (and store) share one limit */
  name: string;
  rateLimit: { maxRequests: number; windowSeconds: number; burstSize: number };
  concurrency: number;
  /** tags the requests (`?p=<tag>`), for logs */
  tag: string;
}

export interface WorkerReport {
  tag: string;
  /** calls that got a response */
  ok: number;
  /** calls ended by the stop signal (waiting for a token, or in flight) */
  aborted: number;
  /** other failures by error type */
  errors: Record<string, number>;
  firstError?: string;
  /** wall time of the last successful response, epoch ms */
  lastOkAt: number;
}

const send = (msg: unknown) => process.send?.(msg);

let setup: WorkerSetup | undefined;
let client: ReturnType<typeof createClient> | undefined;
let store: StateStore | undefined;

process.on('message', (msg: { type?: string } & Record<string, unknown>) => {
  const handle = async () => {
    if (msg.type === 'setup') {
      setup = msg as unknown as WorkerSetup;
      store =
        setup.store === 'redis'
          ? new RedisStore({ url: setup.redisUrl, keyPrefix: setup.keyPrefix })
          : new MemoryStore();
      await store.now(); // connected before the clock starts
      client = createClient({
        name: setup.name,
        baseUrl: setup.origin,
        rateLimit: setup.rateLimit,
        circuitBreaker: {},
        store,
        retry: false,
        logger: false,
        metricsRegistry: false,
      });
      send({ type: 'ready' });
    } else if (msg.type === 'go') {
      const report = await hammer(msg.startAt as number, msg.durationMs as number);
      send({ type: 'done', ...report });
      await client?.close();
      await store?.close();
      process.disconnect?.();
    }
  };
  handle().catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.disconnect?.();
  });
});

async function hammer(startAt: number, durationMs: number): Promise<WorkerReport> {
  if (!setup || !client) throw new Error('go before setup');
  const { tag, concurrency } = setup;
  const c = client;
  const report: WorkerReport = { tag, ok: 0, aborted: 0, errors: {}, lastOkAt: 0 };
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const stop = new AbortController();
  // Every call in flight holds one abort listener on the shared signal (removed when it ends;
  // checked: no growth), so more than 10 callers trip Node's leak warning for nothing.
  setMaxListeners(concurrency * 2 + 10, stop.signal);
  const timer = setTimeout(() => stop.abort(), Math.max(0, startAt + durationMs - Date.now()));
  const path = `/work?p=${encodeURIComponent(tag)}`;
  const caller = async () => {
    while (!stop.signal.aborted) {
      try {
        await c.get(path, { signal: stop.signal });
        report.ok++;
        report.lastOkAt = Date.now();
      } catch (error) {
        if (stop.signal.aborted) {
          report.aborted++;
          return;
        }
        const type = isIntegrationError(error) ? error.type : error instanceof Error ? error.name : 'unknown';
        report.errors[type] = (report.errors[type] ?? 0) + 1;
        report.firstError ??= error instanceof Error ? error.message : String(error);
        // An error that comes at once must not starve the stop timer (a microtask-only loop).
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  clearTimeout(timer);
  return report;
}
