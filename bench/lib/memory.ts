import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collectGarbage, gcExposed, runLoad } from './harness.ts';

export interface MemorySample {
  /** requests completed since the end of the warm-up */
  requests: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

export interface MemoryResult {
  total: number;
  every: number;
  concurrency: number;
  warmup: number;
  gcExposed: boolean;
  samples: MemorySample[];
  errors: number;
  firstError?: string;
  /** throughput over the whole phase, for reference */
  rps: number;
  /** last sample minus first sample (the first one is taken right after the warm-up) */
  growth: { rssMB: number; heapUsedMB: number; externalMB: number };
}

export interface MemoryOptions {
  total: number;
  every: number;
  concurrency: number;
  warmup: number;
  log?: (line: string) => void;
}

const MB = 1024 * 1024;

async function sample(requests: number): Promise<MemorySample> {
  await collectGarbage();
  const m = process.memoryUsage();
  return { requests, rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, externalMB: m.external / MB };
}

/**
 * Sends `total` requests through `call` at `concurrency`, sampling RSS and heapUsed (after a full
 * GC, when exposed) right after a warm-up and then every `every` requests.
 */
export async function memoryPhase(call: () => Promise<unknown>, opts: MemoryOptions): Promise<MemoryResult> {
  const log = opts.log ?? (() => {});
  if (opts.warmup > 0) await runLoad(call, { requests: opts.warmup, concurrency: opts.concurrency });
  const samples: MemorySample[] = [await sample(0)];
  log(formatSample(samples[0]!));
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  let busyMs = 0;
  while (done < opts.total) {
    const chunk = Math.min(opts.every, opts.total - done);
    const r = await runLoad(call, { requests: chunk, concurrency: opts.concurrency });
    busyMs += r.durationMs;
    errors += r.errors;
    firstError ??= r.firstError;
    done += chunk;
    samples.push(await sample(done));
    log(formatSample(samples[samples.length - 1]!));
  }
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const result: MemoryResult = {
    total: opts.total,
    every: opts.every,
    concurrency: opts.concurrency,
    warmup: opts.warmup,
    gcExposed: gcExposed(),
    samples,
    errors,
    rps: (done / busyMs) * 1000,
    growth: {
      rssMB: last.rssMB - first.rssMB,
      heapUsedMB: last.heapUsedMB - first.heapUsedMB,
      externalMB: last.externalMB - first.externalMB,
    },
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

export function formatSample(s: MemorySample): string {
  return (
    `  after ${s.requests.toLocaleString('en-US').padStart(9)} req   rss ${s.rssMB.toFixed(1).padStart(7)} MB` +
    `   heapUsed ${s.heapUsedMB.toFixed(2).padStart(7)} MB   external ${s.externalMB.toFixed(2).padStart(6)} MB`
  );
}

export interface MemoryChildOptions extends Omit<MemoryOptions, 'log'> {
  /** URL of the module exporting the contender factory (usually the bench's `import.meta.url`) */
  module: string;
  /** name of the export: `(name, origin, concurrency) => Promise<Contender>` */
  factory: string;
  contender: string;
  origin: string;
  log?: (line: string) => void;
}

/** Runs `memoryPhase` for one contender in a fresh child node (--expose-gc, tsx). */
export function runMemoryPhaseInChild(opts: MemoryChildOptions): Promise<MemoryResult> {
  const { module, factory, contender, origin, log, ...options } = opts;
  const execArgv = process.execArgv.includes('--expose-gc')
    ? [...process.execArgv]
    : ['--expose-gc', ...process.execArgv];
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', import.meta.resolve('tsx'));
  const child = fork(
    fileURLToPath(new URL('./memory-child.ts', import.meta.url)),
    [module, factory, contender, origin, JSON.stringify(options)],
    { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (msg: { type: string; line?: string; result?: MemoryResult; message?: string }) => {
      if (msg.type === 'log') log?.(msg.line ?? '');
      else if (msg.type === 'result') {
        settled = true;
        resolve(msg.result!);
      } else if (msg.type === 'error') {
        settled = true;
        reject(new Error(`memory child (${contender}): ${msg.message}`));
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!settled)
        reject(new Error(`memory child (${contender}) exited with code ${code}, signal ${signal}`));
    });
  });
}
