// Circuit breaker per-call cost: a breaker around an async function that is already resolved
// (or already rejected), so what is measured is the breaker alone. Contenders: a bare `await
// fn()`, Patchbay's createCircuitBreaker in memory and on a RedisStore (default syncIntervalMs),
// cockatiel's circuitBreaker with a ConsecutiveBreaker and with a SamplingBreaker, and opossum
// (with its per-call timer off; the same without rolling percentiles; and with its default 10 s
// timeout). Three cases:
//
//   success  closed, fn resolves
//   failure  closed, fn rejects, every breaker configured so that it counts the failure and
//            evaluates its trip rule but can never trip (see FAILURE_KNOBS below)
//   open     opened by real failures (recovery an hour away), then fn resolves but is never
//            called: the cost of one fail-fast rejection (next to the floor of building and
//            throwing an Error, and the CircuitOpenError Patchbay builds)
//
// Each call is awaited in a plain loop (concurrency 1); the clock is read once per batch.
// Contenders are interleaved over rounds (order rotated, warm-up + GC before each) and the
// median round is reported; ratios are per-round against cockatiel's ConsecutiveBreaker.
//
// Knobs (env): BENCH_ROUNDS (5), BENCH_MEASURE_MS (250), BENCH_WARMUP_MS (60),
// BENCH_CASES (success,failure,open), BENCH_CONTENDERS (comma list of names below),
// REDIS_URL (redis://127.0.0.1:6379; without Redis the Redis contender is skipped and the run is
// marked incomplete).
import { randomUUID } from 'node:crypto';
import { CircuitOpenError, CircuitBreaker as PatchbayBreaker, type RedisStore } from '@patchbay/core';
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  type IBreaker,
  SamplingBreaker,
} from 'cockatiel';
import Opossum from 'opossum';
import { envInt, envList } from './lib/env.ts';
import { describeError } from './lib/harness.ts';
import {
  fmtNs,
  interleaveMicro,
  type MicroContender,
  type MicroResult,
  type MicroSummary,
  pairedNsRatio,
} from './lib/micro.ts';
import { connectRedis } from './lib/redis.ts';
import type { BenchContext, BenchResult, Cell, Table } from './lib/report.ts';

type CaseName = 'success' | 'failure' | 'open';
const CASES: readonly CaseName[] = ['success', 'failure', 'open'];

const HOUR = 3_600_000;
const NEVER = Number.MAX_SAFE_INTEGER;
const VALUE = { ok: true };
/** One error object for every failure, so no contender pays for building a stack trace. */
const FAILURE = new Error('upstream down');

/** The function under the breaker: counts its calls, resolves or rejects at once. */
class Target {
  hits = 0;
  fail = false;
  readonly fn = async (): Promise<typeof VALUE> => {
    this.hits++;
    if (this.fail) throw FAILURE;
    return VALUE;
  };
}

interface UnderTest {
  call: () => Promise<unknown>;
  isOpen: () => boolean;
  close?: () => Promise<void> | void;
}

interface Spec {
  name: string;
  note: string;
  needsRedis?: boolean;
  /** `trip`: 'never' for the failure case, 'normal' otherwise */
  create: (target: Target, trip: 'normal' | 'never', env: Env) => UnderTest;
}

interface Env {
  redis: RedisStore | undefined;
  /** unique per breaker, so the cases' Redis records never meet */
  name: (contender: string, kase: CaseName) => string;
  kase: CaseName;
}

/** The "can never trip" setting of each library, for the failure case; printed in the notes. */
const FAILURE_KNOBS: Record<string, string> = {
  patchbay: 'failureThreshold = minimumCalls = MAX_SAFE_INTEGER (window still counts, trip rule still runs)',
  'patchbay (redis)':
    'same; each failure is written to the shared window at once and the window read back (store I/O)',
  'cockatiel consecutive': 'new ConsecutiveBreaker(MAX_SAFE_INTEGER)',
  'cockatiel sampling':
    'new SamplingBreaker({ threshold: 0.5, duration: 10_000, minimumRps: MAX_SAFE_INTEGER }) (rps rule never met)',
  opossum: 'volumeThreshold: MAX_SAFE_INTEGER (stats still computed on every failure)',
  'opossum (no percentiles)': 'same',
  'opossum (10 s timeout)': 'same',
};

function patchbayOptions(trip: 'normal' | 'never') {
  return trip === 'never'
    ? { failureThreshold: NEVER, minimumCalls: NEVER, recoveryTimeout: HOUR }
    : { failureThreshold: 5, minimumCalls: 5, recoveryTimeout: HOUR };
}

function opossumOptions(trip: 'normal' | 'never', timeout: number | false): Opossum.Options {
  return {
    timeout,
    resetTimeout: HOUR,
    errorThresholdPercentage: 50,
    volumeThreshold: trip === 'never' ? NEVER : 5,
  };
}

function cockatiel(target: Target, breaker: IBreaker): UnderTest {
  const policy = circuitBreaker(handleAll, { halfOpenAfter: HOUR, breaker });
  return {
    call: () => policy.execute(target.fn),
    isOpen: () => policy.state === CircuitState.Open,
  };
}

function opossum(target: Target, options: Opossum.Options): UnderTest {
  const breaker = new Opossum(target.fn, options);
  return {
    call: () => breaker.fire(),
    isOpen: () => breaker.opened,
    close: () => breaker.shutdown(),
  };
}

const specs: Spec[] = [
  {
    name: 'patchbay',
    note: 'createCircuitBreaker({ name, failureThreshold: 5, minimumCalls: 5, recoveryTimeout: 1 h }) without a store (the in-process core; a MemoryStore selects the same one), breaker.execute(fn)',
    create: (target, trip, env) => {
      const breaker = new PatchbayBreaker({ name: env.name('patchbay', env.kase), ...patchbayOptions(trip) });
      return { call: () => breaker.execute(target.fn), isOpen: () => breaker.state === 'open' };
    },
  },
  {
    name: 'patchbay (redis)',
    note: 'the same on a RedisStore({ url, keyPrefix: <unique per run> }), default syncIntervalMs (1000)',
    needsRedis: true,
    create: (target, trip, env) => {
      const breaker = new PatchbayBreaker({
        name: env.name('patchbay-redis', env.kase),
        ...patchbayOptions(trip),
        store: env.redis!,
      });
      return { call: () => breaker.execute(target.fn), isOpen: () => breaker.state === 'open' };
    },
  },
  {
    name: 'cockatiel consecutive',
    note: 'cockatiel circuitBreaker(handleAll, { halfOpenAfter: 1 h, breaker: new ConsecutiveBreaker(5) }), policy.execute(fn)',
    create: (target, trip) => cockatiel(target, new ConsecutiveBreaker(trip === 'never' ? NEVER : 5)),
  },
  {
    name: 'cockatiel sampling',
    note: 'cockatiel circuitBreaker(handleAll, { halfOpenAfter: 1 h, breaker: new SamplingBreaker({ threshold: 0.5, duration: 10 s, minimumRps: 1 }) })',
    create: (target, trip) =>
      cockatiel(
        target,
        new SamplingBreaker({ threshold: 0.5, duration: 10_000, minimumRps: trip === 'never' ? NEVER : 1 }),
      ),
  },
  {
    name: 'opossum',
    note: 'new CircuitBreaker(fn, { timeout: false, resetTimeout: 1 h, errorThresholdPercentage: 50, volumeThreshold: 5 }), breaker.fire() (no per-call timer, like the others)',
    create: (target, trip) => opossum(target, opossumOptions(trip, false)),
  },
  {
    name: 'opossum (no percentiles)',
    note: 'the same with rollingPercentilesEnabled: false (opossum otherwise concatenates and sorts every latency of its 10 s window each time it checks a failure)',
    create: (target, trip) =>
      opossum(target, { ...opossumOptions(trip, false), rollingPercentilesEnabled: false }),
  },
  {
    name: 'opossum (10 s timeout)',
    note: "the same with opossum's default timeout (10 s): a setTimeout/clearTimeout per call",
    create: (target, trip) => opossum(target, opossumOptions(trip, 10_000)),
  },
];

/** The baseline rows of each case (the first is the base): what a caller pays without a breaker. */
function baselinesOf(kase: CaseName): { name: string; note: string; fn: () => Promise<unknown> }[] {
  if (kase === 'open') {
    return [
      {
        name: 'floor: throw new Error()',
        note: 'open-case floor: an async function that builds and throws a new Error (stack trace included), as each library does per rejection',
        fn: async () => {
          throw new Error('open');
        },
      },
      {
        name: 'floor: throw new CircuitOpenError()',
        note: "the same with the error Patchbay's open breaker builds (same message and details)",
        fn: async () => {
          throw new CircuitOpenError('Circuit breaker bench is open: call not sent; next probe in 3600s', {
            integration: 'bench',
            retryAfter: 3600,
            retryAfterMs: HOUR,
            requestSent: false,
            code: 'CIRCUIT_OPEN',
          });
        },
      },
    ];
  }
  const target = new Target();
  target.fail = kase === 'failure';
  return [{ name: 'bare await fn()', note: '', fn: target.fn }];
}

const REFERENCE = 'cockatiel consecutive';

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    rounds: envInt('BENCH_ROUNDS', 5),
    measureMs: envInt('BENCH_MEASURE_MS', 250),
    warmupMs: envInt('BENCH_WARMUP_MS', 60),
    cases: envList('BENCH_CASES', CASES) as CaseName[],
    contenders: envList(
      'BENCH_CONTENDERS',
      specs.map((s) => s.name),
    ),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    concurrency: 1,
  };
  for (const c of config.cases) if (!CASES.includes(c)) throw new Error(`unknown case "${c}"`);
  for (const name of config.contenders) {
    if (!specs.some((s) => s.name === name)) throw new Error(`unknown contender "${name}"`);
  }

  const notes: string[] = [];
  let incomplete: string | undefined;
  const runId = randomUUID();
  const keyPrefix = `patchbay-bench:${runId}:`;
  let redis: RedisStore | undefined;
  if (specs.some((s) => s.needsRedis && config.contenders.includes(s.name))) {
    redis = await connectRedis(config.redisUrl, keyPrefix);
    if (!redis) {
      incomplete = `Redis at ${config.redisUrl} did not answer: Redis contenders skipped`;
      log(incomplete);
    }
  }
  const active = specs.filter((s) => config.contenders.includes(s.name) && (!s.needsRedis || redis));
  log(`${JSON.stringify(config)}; redis keyPrefix ${keyPrefix}`);

  const tables: Table[] = [];
  const data: Record<string, unknown> = {};
  try {
    for (const kase of config.cases) {
      const { table, summaries } = await runCase(kase, active, redis, config, log);
      tables.push(table);
      data[kase] = summaries.map((s) => ({ name: s.name, median: s.median, rounds: s.rounds }));
    }
  } finally {
    if (redis) {
      const removed = await redis.deletePrefix('').catch(() => -1);
      log(`redis: removed ${removed} keys under ${keyPrefix}`);
      await redis.close();
    }
  }

  notes.push('Contenders:');
  for (const spec of active) notes.push(`  ${spec.name}: ${spec.note}`);
  for (const floor of baselinesOf('open')) notes.push(`  ${floor.name}: ${floor.note}`);
  notes.push(
    'Failure case: fn rejects with one preallocated Error; each breaker counts it but is set so it cannot trip:',
  );
  for (const spec of active) notes.push(`  ${spec.name}: ${FAILURE_KNOBS[spec.name]}`);
  notes.push(
    'Open case: each breaker is opened by real failures of fn (5, or 10 for the sampling breaker), recovery 1 h away;',
    '  then fn would resolve, but each measured call is rejected without calling it (checked: fn call count unchanged).',
    `ns/call: wall time of a sequential \`for … await\` loop / calls, median of ${config.rounds} interleaved rounds of ≥ ${config.measureMs} ms;`,
    '  "over base" subtracts the baseline row of the same case; "× cockatiel" is the median per-round ratio to cockatiel consecutive.',
  );
  return {
    title: `Circuit breaker per-call cost (concurrency 1, fn already settled): ${config.cases.join(', ')}`,
    config: { ...config, keyPrefix },
    tables,
    notes,
    data,
    ...(incomplete ? { incomplete } : {}),
  };
}

async function runCase(
  kase: CaseName,
  active: Spec[],
  redis: RedisStore | undefined,
  config: { rounds: number; measureMs: number; warmupMs: number; concurrency: number },
  log: (line: string) => void,
): Promise<{ table: Table; summaries: MicroSummary[] }> {
  log(`case ${kase}`);
  const trip = kase === 'failure' ? 'never' : 'normal';
  const env: Env = { redis, kase, name: (contender, k) => `bench-${contender}-${k}` };
  const built: { spec: Spec; target: Target; ut: UnderTest; hitsAtOpen: number }[] = [];
  for (const spec of active) {
    const target = new Target();
    target.fail = kase === 'failure';
    const ut = spec.create(target, trip, env);
    let hitsAtOpen = 0;
    if (kase === 'open') {
      target.fail = true;
      for (let i = 0; i < 100 && !ut.isOpen(); i++) await ut.call().catch(() => {});
      if (!ut.isOpen()) throw new Error(`${spec.name}: did not open after 100 failures`);
      target.fail = false;
      hitsAtOpen = target.hits;
      log(`  ${spec.name}: open after ${hitsAtOpen} failures`);
    }
    built.push({ spec, target, ut, hitsAtOpen });
  }
  // The first call's error of each contender, so the table can say what a rejection looks like.
  const firstErrors = new Map<string, string>();
  for (const b of built) {
    if (kase === 'success') continue;
    await b.ut.call().then(
      () => firstErrors.set(b.spec.name, 'RESOLVED (unexpected)'),
      (error: unknown) => firstErrors.set(b.spec.name, describeError(error).slice(0, 60)),
    );
  }

  const baselines: MicroContender[] = baselinesOf(kase).map(({ name, fn }) => ({ name, fn }));
  const contenders: MicroContender[] = [
    ...baselines,
    ...built.map((b) => ({ name: b.spec.name, fn: b.ut.call })),
  ];
  const check = (contender: MicroContender, result: MicroResult) => {
    const b = built.find((x) => x.spec.name === contender.name);
    if (!b) return;
    const expectRejected = kase === 'success' ? 0 : result.calls;
    if (result.rejected !== expectRejected) {
      throw new Error(
        `${kase}/${contender.name}: ${result.rejected} of ${result.calls} calls rejected, expected ${expectRejected}`,
      );
    }
    if (kase !== 'open' && b.ut.isOpen()) throw new Error(`${kase}/${contender.name}: the breaker opened`);
    if (kase === 'open' && b.target.hits !== b.hitsAtOpen) {
      throw new Error(
        `${kase}/${contender.name}: fn was called while open (${b.target.hits - b.hitsAtOpen} times)`,
      );
    }
  };
  let summaries: MicroSummary[];
  try {
    summaries = await interleaveMicro(contenders, { ...config, log, label: kase, check });
  } finally {
    for (const b of built) await b.ut.close?.();
  }

  const base = summaries[0]!;
  const reference = summaries.find((s) => s.name === REFERENCE);
  const rows = summaries.map((s) => ({
    contender: s.name,
    ns: s.median.nsPerCall,
    perSec: s.median.callsPerSec,
    spread: `${fmtNs(s.nsMin)}–${fmtNs(s.nsMax)}`,
    over: s === base ? null : s.median.nsPerCall - base.median.nsPerCall,
    vsCockatiel: reference ? pairedNsRatio(s, reference) : null,
    rejection: firstErrors.get(s.name) ?? '',
  }));
  const columns: Table['columns'] = [
    { key: 'contender', label: 'contender' },
    { key: 'ns', label: 'ns/call', format: (v) => fmtNs(v as number) },
    { key: 'perSec', label: 'calls/s', format: (v) => Math.round(v as number).toLocaleString('en-US') },
    { key: 'spread', label: 'min–max ns' },
    { key: 'over', label: 'over base ns', format: (v: Cell) => (v === null ? '' : fmtNs(v as number)) },
    {
      key: 'vsCockatiel',
      label: '× cockatiel',
      format: (v: Cell) => (v === null ? '' : (v as number).toFixed(2)),
    },
  ];
  if (kase !== 'success') columns.push({ key: 'rejection', label: 'what the caller gets', align: 'left' });
  const titles: Record<CaseName, string> = {
    success: 'Closed, fn resolves',
    failure: 'Closed, fn rejects (breaker counts the failure but cannot trip)',
    open: 'Open: fail-fast rejection, fn not called',
  };
  return { table: { title: titles[kase], columns, rows }, summaries };
}
