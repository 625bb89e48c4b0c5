import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Upstream {
  /** e.g. `http://127.0.0.1:34567` */
  readonly origin: string;
  readonly port: number;
  readonly pid: number | undefined;
  /**
   * When each request arrived (epoch ms) since the last call, oldest first; only when started
   * with `recordArrivals`.
   */
  takeArrivals(): Promise<number[]>;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  /** Record the arrival time of every request (for counting what got through a limiter). */
  recordArrivals?: boolean;
}

const serverFile = fileURLToPath(new URL('../upstream-server.ts', import.meta.url));

/**
 * Starts `bench/upstream-server.ts` in a child Node process (with the tsx loader) and resolves once
 * it listens. The child has its own event loop, so the server's work does not slow the clients'.
 */
export function startUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const tsxLoader = import.meta.resolve('tsx');
  const child = fork(serverFile, [], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_UPSTREAM_RECORD: options.recordArrivals ? '1' : '0' },
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`upstream server exited before listening (code ${code}, signal ${signal})`));
    child.once('error', reject);
    child.once('exit', onExit);
    child.on('message', (msg: unknown) => {
      if (!msg || typeof msg !== 'object' || (msg as { type?: unknown }).type !== 'listening') return;
      const port = (msg as { port: number }).port;
      child.off('exit', onExit);
      // Keep the IPC channel (so the child exits if we die) but let our process exit without it.
      child.unref();
      child.channel?.unref();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid,
        takeArrivals: () =>
          new Promise<number[]>((done, fail) => {
            if (!options.recordArrivals) return fail(new Error('upstream started without recordArrivals'));
            child.channel?.ref(); // keep the loop alive until the answer comes
            const onMessage = (reply: unknown) => {
              if ((reply as { type?: unknown } | null)?.type !== 'arrivals') return;
              child.off('message', onMessage);
              child.channel?.unref();
              done((reply as { times: number[] }).times);
            };
            child.on('message', onMessage);
            child.send({ type: 'take-arrivals' });
          }),
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.ref(); // it was unref'd above; the wait for 'exit' must keep the loop alive
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
