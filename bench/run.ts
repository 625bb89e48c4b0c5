// Runs the benchmarks: every `bench/*.bench.ts` by default, or those named on the command line
// (`npm run bench -- client`). Each bench file exports `run(ctx): Promise<BenchResult>`; this
// file prints its tables and writes `.bench-results/<name>.json`. To add a bench, drop a new
// `<name>.bench.ts` next to this file.
//
// Node flags: the benches want `--expose-gc`, so when it is missing this script re-runs itself
// with `node --expose-gc --import tsx`. Extra flags go in BENCH_NODE_FLAGS, e.g.
//   BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=.bench-results/prof" npm run bench -- client
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchModule, type BenchResult, formatTable, writeJson } from './lib/report.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = resolve(benchDir, '..');
const resultsDir = join(rootDir, '.bench-results');
const RESPAWNED = 'PATCHBAY_BENCH_RESPAWNED';

if (typeof globalThis.gc !== 'function' && !process.env[RESPAWNED]) {
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...extra,
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, [RESPAWNED]: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main(): Promise<void> {
  const available = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--list') || args.includes('-l')) {
    console.log(available.join('\n'));
    return;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: npm run bench [-- <name>...]   (names: ${available.join(', ')})`);
    return;
  }
  const selected = args.length === 0 ? available : args.map((a) => pick(a, available));
  if (typeof globalThis.gc !== 'function') {
    console.warn('warning: global.gc is not exposed; memory samples will include uncollected garbage');
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let failed = false;

  for (const name of selected) {
    const file = join(benchDir, `${name}.bench.ts`);
    console.log(`\n=== bench: ${name} ===`);
    const started = Date.now();
    let result: BenchResult;
    try {
      const mod = (await import(pathToFileURL(file).href)) as Partial<BenchModule>;
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
      result = await mod.run({ log });
    } catch (err) {
      failed = true;
      console.error(`bench ${name} failed:`, err);
      continue;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`${result.title}\n`);
    for (const table of result.tables) console.log(`${formatTable(table)}\n`);
    for (const note of result.notes) console.log(note);
    if (result.incomplete) {
      failed = true;
      console.log(`\nINCOMPLETE: ${result.incomplete}`);
    }
    const out = writeJson(resultsDir, name, {
      bench: name,
      date: new Date().toISOString(),
      durationSeconds: seconds,
      environment: environment(),
      ...result,
    });
    console.log(`\n(${seconds.toFixed(1)} s; JSON: ${out})`);
  }
  // Connection pools and timers of the contenders must not keep the process alive.
  process.exit(failed ? 1 : 0);
}

function pick(arg: string, available: string[]): string {
  const name = arg.replace(/\.bench\.ts$/, '').replace(/^.*\//, '');
  if (available.includes(name)) return name;
  const partial = available.filter((a) => a.includes(name));
  if (partial.length === 1) return partial[0]!;
  console.error(`unknown bench "${arg}"; available: ${available.join(', ')}`);
  process.exit(2);
}

function environment() {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model,
    totalMemMB: Math.round(totalmem() / 1024 / 1024),
    loadavg: loadavg(),
    execArgv: process.execArgv,
  };
}
