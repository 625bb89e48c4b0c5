import { fork } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A bus consumer (a hub, or the bare echo) running in its own Node process. */
export interface BusProcess {
  readonly pid: number | undefined;
  /** SIGTERM; the child stops consuming, finishes what it holds and exits. */
  close(): Promise<void>;
}

/**
 * Forks `file` (TypeScript, loaded with tsx) with `env` and resolves once it sends
 * `{ type: 'ready' }`, or rejects with what it sent as `{ type: 'failed', error }`. Its stdout goes
 * to this process's stderr so nothing it logs mixes with the bench report.
 */
export function startBusProcess(fileUrl: URL, env: Record<string, string>): Promise<BusProcess> {
  const file = fileURLToPath(fileUrl);
  const child = fork(file, [], {
    execArgv: [...nodeFlags(basename(file, '.ts')), '--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 2, 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${basename(file)} exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', reject);
    child.once('exit', onExit);
    child.on('message', (msg: unknown) => {
      const m = msg as { type?: unknown; error?: unknown } | null;
      if (m?.type === 'failed') reject(new Error(`${basename(file)} failed to start: ${String(m.error)}`));
      if (m?.type !== 'ready') return;
      child.off('exit', onExit);
      // Keep the IPC channel (so the child exits if we die) but let our process exit without it.
      child.unref();
      child.channel?.unref();
      resolve({
        pid: child.pid,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.ref();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * `BENCH_NODE_FLAGS` for a child, e.g. `--cpu-prof --cpu-prof-dir=.bench-results/prof`; profiles go
 * to `<dir>/<file name>/` so the hub's and the echo's can be told apart.
 */
function nodeFlags(name: string): string[] {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  if (!flags.includes('--cpu-prof')) return flags;
  const dirFlag = flags.find((f) => f.startsWith('--cpu-prof-dir='));
  const dir = dirFlag ? dirFlag.slice('--cpu-prof-dir='.length) : '.';
  return [...flags.filter((f) => f !== dirFlag), `--cpu-prof-dir=${join(dir, name)}`];
}

/** The child's side: on SIGTERM or the parent going away, runs `close` (bounded to 10 s) and exits. */
export function exitWhenAsked(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 10_000).unref();
    close()
      .catch((err: unknown) => process.stderr.write(`close failed: ${String(err)}\n`))
      .finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
