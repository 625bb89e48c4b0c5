import { fork } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A server under test running in its own Node process (see {@link startServerProcess}). */
export interface ServerProcess {
  /** e.g. `http://127.0.0.1:34567` */
  readonly origin: string;
  readonly pid: number | undefined;
  /** Sends `{ type, ...payload }` and resolves with the child's `{ type, ...reply }` answer. */
  ask<T = unknown>(type: string, payload?: Record<string, unknown>): Promise<T>;
  /** SIGTERM; the child closes its server and exits (writing a CPU profile if it was asked to). */
  close(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Extra environment for the child (on top of this process's). */
  env?: Record<string, string>;
  /**
   * Extra node flags, e.g. `['--cpu-prof', '--cpu-prof-dir=.bench-results/prof']`. The profiles
   * of each server go to a folder of their own, `<cpu-prof-dir>/<file name>/` (see
   * {@link profileFlags}).
   */
  nodeFlags?: readonly string[];
}

/**
 * Forks `file` (a TypeScript module, loaded with tsx as `npm start` loads the hub) and resolves once
 * it sends `{ type: 'listening', port }`. The child's stdout goes to this process's stderr, so
 * whatever a server logs never mixes with the bench's report on stdout. The child must exit on
 * SIGTERM and on `disconnect` (this process went away).
 */
export function startServerProcess(fileUrl: URL, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const file = fileURLToPath(fileUrl);
  const flags = profileFlags(options.nodeFlags ?? [], basename(file, '.ts'));
  const child = fork(file, [], {
    execArgv: [...flags, '--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 2, 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  child.on('message', (msg: unknown) => {
    const reply = msg as { id?: unknown; error?: unknown } | null;
    if (typeof reply?.id !== 'number') return;
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) child.channel?.unref();
    if (typeof reply.error === 'string') pending.reject(new Error(`${basename(file)}: ${reply.error}`));
    else pending.resolve(msg);
  });
  child.on('exit', (code, signal) => {
    for (const pending of waiting.values()) {
      pending.reject(new Error(`${basename(file)} exited (code ${code}, signal ${signal})`));
    }
    waiting.clear();
  });

  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${basename(file)} exited before listening (code ${code}, signal ${signal})`));
    child.once('error', reject);
    child.once('exit', onExit);
    const onListening = (msg: unknown) => {
      const m = msg as { type?: unknown; port?: unknown; error?: unknown } | null;
      if (m?.type === 'failed') {
        child.off('message', onListening);
        reject(new Error(`${basename(file)} failed to start: ${String(m.error)}`));
        return;
      }
      if (m?.type !== 'listening' || typeof m.port !== 'number') return;
      child.off('message', onListening);
      child.off('exit', onExit);
      // Keep the IPC channel (so the child exits if we die) but let our process exit without it.
      child.unref();
      child.channel?.unref();
      resolve({
        origin: `http://127.0.0.1:${m.port}`,
        pid: child.pid,
        ask: <T>(type: string, payload: Record<string, unknown> = {}) =>
          new Promise<T>((done, fail) => {
            const id = nextId++;
            waiting.set(id, { resolve: done as (value: unknown) => void, reject: fail });
            child.channel?.ref(); // keep the loop alive until the answer comes
            child.send({ ...payload, type, id });
          }),
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.ref(); // it was unref'd above; the wait for 'exit' must keep the loop alive
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.on('message', onListening);
  });
}

/**
 * With `--cpu-prof`, sends the profiles to `<cpu-prof-dir or cwd>/<server>/` so the hub's and the
 * bare server's can be told apart. Node writes one profile per thread: the tsx loader runs module
 * hooks on a thread of its own, so each folder holds two; the server's is the larger one.
 */
export function profileFlags(flags: readonly string[], server: string): string[] {
  if (!flags.includes('--cpu-prof')) return [...flags];
  const dirFlag = flags.find((f) => f.startsWith('--cpu-prof-dir='));
  const dir = dirFlag ? dirFlag.slice('--cpu-prof-dir='.length) : '.';
  return [...flags.filter((f) => f !== dirFlag), `--cpu-prof-dir=${join(dir, server)}`];
}

/**
 * The child's side: answers `{ type, id }` requests from the parent with `handle(type, msg)`'s
 * result (or its error), tagged with the same id. `{ type: 'cpu' }` is answered here, with the
 * process's CPU time so far: `{ micros }` (user + system).
 */
export function answerParent(
  handle: (type: string, msg: Record<string, unknown>) => Promise<unknown> = async (type) => {
    throw new Error(`unknown request ${type}`);
  },
): void {
  process.on('message', (raw: unknown) => {
    const msg = raw as { type?: unknown; id?: unknown } | null;
    if (typeof msg?.type !== 'string' || typeof msg.id !== 'number') return;
    const { id, type } = msg;
    const answer =
      type === 'cpu' ? Promise.resolve(cpuMicros()) : handle(type, msg as Record<string, unknown>);
    answer.then(
      (reply) => process.send?.({ ...(reply as object), type, id }),
      (err: unknown) => process.send?.({ type, id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

function cpuMicros(): { micros: number } {
  const { user, system } = process.cpuUsage();
  return { micros: user + system };
}

/** The parent's side: the child's CPU time so far, in µs (the child must {@link answerParent}). */
export async function serverCpuMicros(server: ServerProcess): Promise<number> {
  return (await server.ask<{ micros: number }>('cpu')).micros;
}

/** The child's side: tells the parent the port, or why it could not start. */
export function reportListening(port: number): void {
  process.send?.({ type: 'listening', port });
}

export function reportStartFailure(err: unknown): void {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}

/**
 * The child's side: on SIGTERM, SIGINT or the parent going away, runs `close` (bounded to 5 s) and
 * exits with code 0, so `--cpu-prof` writes its profile.
 */
export function exitOnParentSignal(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const timeout = setTimeout(() => process.exit(0), 5000);
    timeout.unref();
    close()
      .catch((err: unknown) => process.stderr.write(`close failed: ${String(err)}\n`))
      .finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
