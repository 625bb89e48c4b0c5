// Rate limiter: (a) what `limiter.acquire()` costs per call when tokens are plentiful, and
// (b) how accurately a configured limit holds against a real (loopback) upstream, in one process
// and across three processes sharing Redis.
//
// (a) Contenders: a bare `await` of an async no-op (baseline), a trivial in-process token bucket
//     (refill arithmetic in an async function: the floor of any in-process limiter), Patchbay's
//     createRateLimiter with its default MemoryStore, one RedisStore.takeTokens call (one EVALSHA
//     round trip: the floor of a Redis-backed limiter), and createRateLimiter on that RedisStore.
//     cockatiel has no rate limiter (its bulkhead bounds concurrency, not rate), so it is not here.
//     Each is measured in a sequential loop (concurrency 1: latency) and with 32 loops at once
//     (ns/call = wall time / calls: the inverse of throughput), interleaved over rounds.
// (b) The upstream (bench/upstream-server.ts in a child process) records every request's arrival.
//     Worker processes (lib/limiter-worker.ts) run createClient({ rateLimit: { maxRequests: 50,
//     windowSeconds: 1, burstSize: 10 }, retry: false }) and call it back to back for 10 s from a
//     common start: one process with 64 callers on a MemoryStore, then three processes with 16
//     callers each on one RedisStore keyPrefix (unique per run, deleted afterwards). The ideal is
//     burst + rate × duration = 10 + 50 × 10 = 510 requests.
//
// Knobs (env): BENCH_ROUNDS (5), BENCH_MEASURE_MS (200), BENCH_WARMUP_MS (50),
// BENCH_CONCURRENCY (32, for the second micro pass), BENCH_LIMITER_SECONDS (10),
// BENCH_LIMITER_RATE (50), BENCH_LIMITER_BURST (10), BENCH_LIMITER_SCENARIOS (memory,redis),
// BENCH_PHASES (micro,accuracy), REDIS_URL (redis://127.0.0.1:6379).
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRateLimiter, type RedisStore } from '@patchbay/core';
import { envInt, envList } from './lib/env.ts';
import type { WorkerReport, WorkerSetup } from './lib/limiter-worker.ts';
import { fmtNs, interleaveMicro, type MicroContender, type MicroSummary } from './lib/micro.ts';
import { connectRedis } from './lib/redis.ts';
import type { BenchContext, BenchResult, Cell, Table } from './lib/report.ts';
import { startUpstream, type Upstream } from './lib/upstream.ts';

const workerFile = fileURLToPath(new URL('./lib/limiter-worker.ts', import.meta.url));
const PLENTY = 1e9;

/** The simplest in-process token bucket: refill on read, take one, never wait (tokens are plentiful). */
class TrivialBucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
  ) {
    this.tokens = capacity;
  }
  async acquire(): Promise<void> {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens < 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil((1 - this.tokens) / this.perMs)));
      return this.acquire();
    }
    this.tokens -= 1;
  }
}

interface Scenario {
  name: string;
  store: 'memory' | 'redis';
  processes: number;
  concurrency: number;
}

const SCENARIOS: Record<string, Scenario> = {
  memory: { name: '1 process, MemoryStore, 64 callers', store: 'memory', processes: 1, concurrency: 64 },
  redis: {
    name: '3 processes, one RedisStore, 16 callers each',
    store: 'redis',
    processes: 3,
    concurrency: 16,
  },
  'redis-1': { name: '1 process, RedisStore, 48 callers', store: 'redis', processes: 1, concurrency: 48 },
};

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    rounds: envInt('BENCH_ROUNDS', 5),
    measureMs: envInt('BENCH_MEASURE_MS', 200),
    warmupMs: envInt('BENCH_WARMUP_MS', 50),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
    seconds: envInt('BENCH_LIMITER_SECONDS', 10),
    rate: envInt('BENCH_LIMITER_RATE', 50),
    burst: envInt('BENCH_LIMITER_BURST', 10),
    scenarios: envList('BENCH_LIMITER_SCENARIOS', ['memory', 'redis']),
    phases: envList('BENCH_PHASES', ['micro', 'accuracy']),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  for (const s of config.scenarios) if (!SCENARIOS[s]) throw new Error(`unknown scenario "${s}"`);
  const runId = randomUUID();
  const keyPrefix = `patchbay-bench:${runId}:`;
  log(`${JSON.stringify(config)}; redis keyPrefix ${keyPrefix}`);

  const tables: Table[] = [];
  const notes: string[] = [];
  const data: Record<string, unknown> = {};
  let incomplete: string | undefined;

  const redis = await connectRedis(config.redisUrl, keyPrefix);
  if (!redis) {
    incomplete = `Redis at ${config.redisUrl} did not answer: Redis contenders and scenarios skipped`;
    log(incomplete);
  }
  try {
    if (config.phases.includes('micro')) {
      const micro = await microPhase(redis, config, log);
      tables.push(micro.table);
      data.micro = micro.data;
      notes.push(...micro.notes);
    }
    if (config.phases.includes('accuracy')) {
      const scenarios = config.scenarios
        .map((s) => SCENARIOS[s]!)
        .filter((s) => s.store === 'memory' || redis);
      const accuracy = await accuracyPhase(scenarios, { ...config, keyPrefix }, log);
      tables.push(...accuracy.tables);
      data.accuracy = accuracy.data;
      notes.push(...accuracy.notes);
    }
  } finally {
    if (redis) {
      const removed = await redis.deletePrefix('').catch(() => -1);
      log(`redis: removed ${removed} keys under ${keyPrefix}`);
      await redis.close();
    }
  }
  return {
    title: `Rate limiter: acquire() cost with plentiful tokens; accuracy of ${config.rate}/s (burst ${config.burst}) over ${config.seconds} s`,
    config: { ...config, keyPrefix },
    tables,
    notes,
    data,
    ...(incomplete ? { incomplete } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// (a) per-call cost

async function microPhase(
  redis: RedisStore | undefined,
  config: { rounds: number; measureMs: number; warmupMs: number; concurrency: number },
  log: (line: string) => void,
): Promise<{ table: Table; data: unknown; notes: string[] }> {
  const plenty = { maxRequests: PLENTY, windowSeconds: 1, burstSize: PLENTY };
  const bucket = new TrivialBucket(PLENTY, PLENTY / 1000);
  const memoryLimiter = createRateLimiter({ name: 'bench-micro', ...plenty });
  const contenders: MicroContender[] = [
    { name: 'bare await fn()', fn: async () => {} },
    { name: 'trivial token bucket', fn: () => bucket.acquire() },
    { name: 'patchbay (memory)', fn: () => memoryLimiter.acquire() },
  ];
  if (redis) {
    const spec = { capacity: PLENTY, refillPerSecond: PLENTY };
    const redisLimiter = createRateLimiter({ name: 'bench-micro', ...plenty, store: redis });
    contenders.push(
      { name: 'floor: RedisStore.takeTokens', fn: () => redis.takeTokens('bench-micro-floor', spec) },
      { name: 'patchbay (redis)', fn: () => redisLimiter.acquire() },
    );
  }
  const check = (contender: MicroContender, result: { rejected: number }) => {
    if (result.rejected > 0) throw new Error(`${contender.name}: ${result.rejected} calls rejected`);
  };
  const passes: [number, MicroSummary[]][] = [];
  for (const concurrency of [1, config.concurrency]) {
    const label = `c=${concurrency}`;
    passes.push([
      concurrency,
      await interleaveMicro(contenders, { ...config, concurrency, log, label, check }),
    ]);
  }
  const [, sequential] = passes[0]!;
  const [, concurrent] = passes[1]!;
  const base = sequential[0]!;
  const rows = contenders.map((c, i) => ({
    contender: c.name,
    ns1: sequential[i]!.median.nsPerCall,
    perSec1: sequential[i]!.median.callsPerSec,
    spread1: `${fmtNs(sequential[i]!.nsMin)}–${fmtNs(sequential[i]!.nsMax)}`,
    over1: i === 0 ? null : sequential[i]!.median.nsPerCall - base.median.nsPerCall,
    nsC: concurrent[i]!.median.nsPerCall,
    perSecC: concurrent[i]!.median.callsPerSec,
  }));
  const int = (v: Cell) => Math.round(v as number).toLocaleString('en-US');
  const table: Table = {
    title: `acquire() with plentiful tokens (maxRequests = burstSize = ${PLENTY.toExponential()} per 1 s)`,
    columns: [
      { key: 'contender', label: 'contender' },
      { key: 'ns1', label: 'ns/call c=1', format: (v) => fmtNs(v as number) },
      { key: 'perSec1', label: 'calls/s c=1', format: int },
      { key: 'spread1', label: 'min–max ns c=1' },
      { key: 'over1', label: 'over bare ns', format: (v) => (v === null ? '' : fmtNs(v as number)) },
      { key: 'nsC', label: `ns/call c=${config.concurrency}`, format: (v) => fmtNs(v as number) },
      { key: 'perSecC', label: `calls/s c=${config.concurrency}`, format: int },
    ],
    rows,
  };
  const notes = [
    'acquire() contenders:',
    '  trivial token bucket: refill-on-read arithmetic in an async method (no store, no queue): the floor of an in-process limiter',
    '  patchbay (memory): createRateLimiter({ name, maxRequests, windowSeconds: 1, burstSize }) on its default MemoryStore; acquire() reads the pause mark, then takes a token (two awaited store calls)',
    '  floor: RedisStore.takeTokens: the one EVALSHA (refill + take, Redis TIME) the limiter ends with',
    '  patchbay (redis): the same limiter on a RedisStore: GET of the pause mark, then the EVALSHA: two sequential round trips per call',
    `  c=1: sequential loop (latency); c=${config.concurrency}: ${config.concurrency} loops at once, ns/call = wall time / calls (inverse throughput). Median of ${config.rounds} interleaved rounds of ≥ ${config.measureMs} ms.`,
  ];
  const data = passes.map(([concurrency, summaries]) => ({
    concurrency,
    results: summaries.map((s) => ({ name: s.name, median: s.median, rounds: s.rounds })),
  }));
  return { table, data, notes };
}

// ---------------------------------------------------------------------------------------------
// (b) accuracy

interface AccuracyConfig {
  seconds: number;
  rate: number;
  burst: number;
  redisUrl: string;
  keyPrefix: string;
}

interface ScenarioResult {
  scenario: Scenario;
  startAt: number;
  arrivals: number[];
  reports: WorkerReport[];
}

async function accuracyPhase(
  scenarios: Scenario[],
  config: AccuracyConfig,
  log: (line: string) => void,
): Promise<{ tables: Table[]; data: unknown; notes: string[] }> {
  const upstream = await startUpstream({ recordArrivals: true });
  log(`upstream ${upstream.origin} (pid ${upstream.pid}), recording arrivals`);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) results.push(await runScenario(scenario, upstream, config, log));
  } finally {
    await upstream.close();
  }

  const durationMs = config.seconds * 1000;
  const ideal = config.burst + config.rate * config.seconds;
  const analysed = results.map((r) => analyse(r, durationMs, config));
  const summary: Table = {
    title: `Accuracy: ${config.rate} req/s, burst ${config.burst}, ${config.seconds} s of callers hammering; ideal = ${config.burst} + ${config.rate} × ${config.seconds} = ${ideal}`,
    columns: [
      { key: 'scenario', label: 'scenario' },
      { key: 'total', label: 'upstream saw' },
      {
        key: 'error',
        label: 'vs ideal',
        format: (v) => `${(v as number) >= 0 ? '+' : ''}${(v as number).toFixed(1)} %`,
      },
      { key: 'inWindow', label: `in [0, ${config.seconds}) s` },
      { key: 'late', label: 'after end' },
      {
        key: 'steady',
        label: `rate s1–s${config.seconds - 1}`,
        format: (v) => `${(v as number).toFixed(1)}/s`,
      },
      { key: 'maxSliding', label: 'max in any 1 s' },
      { key: 'clientOk', label: 'client ok' },
      { key: 'perProcess', label: 'ok per process', align: 'left' },
      { key: 'clientErrors', label: 'client errors', align: 'left' },
    ],
    rows: analysed.map((a) => a.row),
  };
  const seriesColumns: Table['columns'] = [{ key: 'scenario', label: 'scenario' }];
  for (let s = 0; s < config.seconds; s++) seriesColumns.push({ key: `s${s}`, label: `s${s}` });
  seriesColumns.push({ key: 'late', label: 'late' });
  const idealRow: Record<string, Cell> = { scenario: 'ideal', late: 0 };
  for (let s = 0; s < config.seconds; s++)
    idealRow[`s${s}`] = s === 0 ? config.burst + config.rate : config.rate;
  const series: Table = {
    title: 'Requests the upstream saw per second (s0 = the agreed start; late = after the stop)',
    columns: seriesColumns,
    rows: [idealRow, ...analysed.map((a) => a.series)],
  };
  const notes = [
    `Accuracy: the upstream child records each request's arrival (Date.now()); workers (lib/limiter-worker.ts) start at an agreed wall-clock time and stop (abort: waiting callers and in-flight calls end) ${config.seconds} s later.`,
    `  createClient({ name, baseUrl, rateLimit: { maxRequests: ${config.rate}, windowSeconds: 1, burstSize: ${config.burst} }, circuitBreaker: {}, store, retry: false, logger: false, metricsRegistry: false }); callers loop on client.get('/work', { signal }).`,
    '  "after end" = requests whose token was taken before the stop but which arrived after it; "vs ideal" counts everything the upstream saw.',
    '  "max in any 1 s" slides a 1000 ms window over the arrivals: the limit allows at most burst + rate = ' +
      `${config.burst + config.rate}.`,
  ];
  const data = results.map((r, i) => ({
    scenario: r.scenario,
    startAt: r.startAt,
    reports: r.reports,
    analysis: analysed[i]!.row,
    series: analysed[i]!.series,
    arrivalsMs: r.arrivals.map((t) => t - r.startAt),
  }));
  return { tables: [summary, series], data, notes };
}

async function runScenario(
  scenario: Scenario,
  upstream: Upstream,
  config: AccuracyConfig,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  log(`accuracy: ${scenario.name}`);
  await upstream.takeArrivals(); // forget anything earlier
  const name = `bench-limiter-${scenario.store}-${scenario.processes}`;
  const children = Array.from({ length: scenario.processes }, () => forkWorker());
  try {
    await Promise.all(
      children.map((child, i) => {
        const setup: WorkerSetup = {
          origin: upstream.origin,
          store: scenario.store,
          redisUrl: config.redisUrl,
          keyPrefix: config.keyPrefix,
          name,
          rateLimit: { maxRequests: config.rate, windowSeconds: 1, burstSize: config.burst },
          concurrency: scenario.concurrency,
          tag: `p${i}`,
        };
        child.send({ type: 'setup', ...setup });
        return nextMessage(child, 'ready', 30_000);
      }),
    );
    const startAt = Date.now() + 500;
    const durationMs = config.seconds * 1000;
    const done = children.map((child) => nextMessage(child, 'done', durationMs + 30_000));
    for (const child of children) child.send({ type: 'go', startAt, durationMs });
    const reports = (await Promise.all(done)) as unknown as WorkerReport[];
    await new Promise((resolve) => setTimeout(resolve, 300)); // stragglers reach the upstream
    const arrivals = await upstream.takeArrivals();
    log(
      `  upstream saw ${arrivals.length}; workers: ${reports.map((r) => `${r.tag} ok ${r.ok}`).join(', ')}`,
    );
    return { scenario, startAt, arrivals, reports };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

function analyse(r: ScenarioResult, durationMs: number, config: AccuracyConfig) {
  const seconds = Math.round(durationMs / 1000);
  const ideal = config.burst + config.rate * config.seconds;
  const perSecond = new Array<number>(seconds).fill(0);
  let early = 0;
  let late = 0;
  const times = [...r.arrivals].sort((a, b) => a - b);
  for (const t of times) {
    const offset = t - r.startAt;
    if (offset < 0) early++;
    else if (offset >= durationMs) late++;
    else perSecond[Math.floor(offset / 1000)]!++;
  }
  let maxSliding = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= 1000) lo++;
    maxSliding = Math.max(maxSliding, hi - lo + 1);
  }
  const inWindow = perSecond.reduce((a, b) => a + b, 0);
  const steady = perSecond.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, seconds - 1);
  const errors: Record<string, number> = {};
  for (const report of r.reports) {
    for (const [type, n] of Object.entries(report.errors)) errors[type] = (errors[type] ?? 0) + n;
  }
  const row: Record<string, Cell> = {
    scenario: r.scenario.name,
    total: times.length,
    error: ((times.length - ideal) / ideal) * 100,
    inWindow,
    late: early ? `${late} (+${early} early)` : late,
    steady,
    maxSliding,
    clientOk: r.reports.reduce((a, b) => a + b.ok, 0),
    perProcess: r.reports.map((x) => x.ok).join(' / '),
    clientErrors:
      Object.entries(errors)
        .map(([type, n]) => `${type} ${n}`)
        .join(', ') || 'none',
  };
  const series: Record<string, Cell> = { scenario: r.scenario.name, late };
  perSecond.forEach((n, s) => {
    series[`s${s}`] = n;
  });
  return { row, series };
}

function forkWorker(): ChildProcess {
  return fork(workerFile, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next message of `type` from `child` (rejects on its `error` message, on exit, or after `timeoutMs`). */
function nextMessage(child: ChildProcess, type: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`worker ${child.pid}: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (msg: { type?: string; message?: string } & Record<string, unknown>) => {
      if (msg.type === type) finish(undefined, msg);
      else if (msg.type === 'error') finish(new Error(`worker ${child.pid}: ${msg.message}`));
    };
    const onExit = (code: number | null) =>
      finish(new Error(`worker ${child.pid} exited (${code}) before "${type}"`));
    const finish = (error: Error | undefined, msg?: Record<string, unknown>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(msg!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
