// Client throughput and latency: bare undici.request, fetch, axios, got and Patchbay's
// createClient (default policies on), against one loopback keep-alive server (in a child
// process) returning a ~100-byte JSON body, at concurrency 32. Contenders are interleaved over
// several rounds and the median round is reported; ratios are against bare undici in the same
// run. Then a memory phase: 200k requests through a fresh Patchbay client, RSS/heapUsed sampled
// after a full GC every 20k, in a
// child process of its own.
//
// Knobs (env): BENCH_REQUESTS (per contender per round, default 20000), BENCH_WARMUP (2000),
// BENCH_ROUNDS (3), BENCH_CONCURRENCY (32), BENCH_CONTENDERS (comma list, default all),
// BENCH_MEMORY (contenders for the memory phase, default "patchbay"; "off" skips it),
// BENCH_MEMORY_REQUESTS (200000), BENCH_MEMORY_EVERY (20000), BENCH_MEMORY_WARMUP (10000),
// BENCH_PATCHBAY_MODULE (path to another copy of packages/core/src/index.ts, for A/B runs).
import http from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import got from 'got';
import { Agent, request } from 'undici';
import { envInt, envList } from './lib/env.ts';
import {
  type Contender,
  type ContenderSummary,
  describeError,
  fmtInt,
  interleave,
  pairedRatio,
} from './lib/harness.ts';
import { type MemoryResult, runMemoryPhaseInChild } from './lib/memory.ts';
import type { BenchContext, BenchResult, Cell, Table } from './lib/report.ts';
import { fmtCount, throughputTable } from './lib/throughput-table.ts';
import { startUpstream } from './lib/upstream.ts';

const PATH = '/small';

interface ContenderSpec {
  name: string;
  /** what exactly is measured, printed under the table */
  note: string;
  create: (origin: string, concurrency: number) => Promise<Contender>;
}

/** The part of Patchbay's client this bench relies on (imported dynamically, see below). */
interface PatchbayClient {
  get(path: string): Promise<unknown>;
  close?: () => Promise<void> | void;
}

const specs: ContenderSpec[] = [
  {
    name: 'undici',
    note: `undici.request with an undici.Agent({ connections: C }), await body.json()`,
    create: async (origin, concurrency) => {
      const dispatcher = new Agent({ connections: concurrency });
      const url = origin + PATH;
      return {
        name: 'undici',
        call: async () => {
          const { body } = await request(url, { dispatcher });
          return body.json();
        },
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'fetch',
    note: `global fetch (Node's bundled undici ${process.versions.undici}, default global dispatcher) + res.json()`,
    create: async (origin) => {
      const url = origin + PATH;
      return { name: 'fetch', call: async () => (await fetch(url)).json() };
    },
  },
  {
    name: 'axios',
    note: 'axios instance with http.Agent({ keepAlive: true, maxSockets: C }), res.data (default JSON parsing)',
    create: async (origin, concurrency) => {
      const httpAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const client = axios.create({ baseURL: origin, httpAgent });
      return {
        name: 'axios',
        call: async () => (await client.get(PATH)).data,
        close: () => httpAgent.destroy(),
      };
    },
  },
  {
    name: 'got',
    note: 'got.extend with http.Agent({ keepAlive: true, maxSockets: C }), retry { limit: 0 }, .json()',
    create: async (origin, concurrency) => {
      const httpAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const client = got.extend({ prefixUrl: origin, agent: { http: httpAgent }, retry: { limit: 0 } });
      return {
        name: 'got',
        call: () => client.get(PATH.slice(1)).json(),
        close: () => httpAgent.destroy(),
      };
    },
  },
  {
    name: 'patchbay',
    note: "@patchbay/core createClient({ name: 'bench', baseUrl }) with default policies, await c.get('/small')",
    create: async (origin) => {
      // Imported dynamically (and typed structurally) so that the baselines run while
      // @patchbay/core is still being written. BENCH_PATCHBAY_MODULE points it at another copy
      // (the path of its index.ts), e.g. to A/B a change to the kernel.
      const override = process.env.BENCH_PATCHBAY_MODULE;
      const specifier = override ? pathToFileURL(resolve(override)).href : '@patchbay/core';
      let mod: { createClient?: unknown };
      try {
        mod = (await import(specifier)) as { createClient?: unknown };
      } catch (err) {
        throw new PatchbayUnavailable(`import('${specifier}') failed: ${errorText(err)}`);
      }
      if (typeof mod.createClient !== 'function') {
        throw new PatchbayUnavailable(`${specifier} does not export createClient (yet)`);
      }
      const client = (mod.createClient as (options: { name: string; baseUrl: string }) => PatchbayClient)({
        name: 'bench',
        baseUrl: origin,
      });
      return {
        name: 'patchbay',
        call: () => client.get(PATH),
        close: async () => {
          await client.close?.();
        },
      };
    },
  },
];

class PatchbayUnavailable extends Error {}

/** Builds one contender by name; also used by the memory phase's child process. */
export function createContender(name: string, origin: string, concurrency: number): Promise<Contender> {
  const spec = specs.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown contender "${name}"`);
  return spec.create(origin, concurrency);
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** One request per contender before measuring: it must succeed and return the parsed body. */
async function checkContender(c: Contender): Promise<void> {
  const body = await c.call();
  const found = [body, (body as { data?: unknown })?.data, (body as { body?: unknown })?.body].some(
    (b) => typeof b === 'object' && b !== null && (b as { id?: unknown }).id === 42,
  );
  if (!found) {
    throw new Error(
      `${c.name}: unexpected result ${JSON.stringify(body)?.slice(0, 200)} (expected the parsed JSON body)`,
    );
  }
}

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    requests: envInt('BENCH_REQUESTS', 20_000),
    warmup: envInt('BENCH_WARMUP', 2_000),
    rounds: envInt('BENCH_ROUNDS', 3),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
    contenders: envList(
      'BENCH_CONTENDERS',
      specs.map((s) => s.name),
    ),
    memory: envList('BENCH_MEMORY', ['patchbay']),
    memoryRequests: envInt('BENCH_MEMORY_REQUESTS', 200_000),
    memoryEvery: envInt('BENCH_MEMORY_EVERY', 20_000),
    memoryWarmup: envInt('BENCH_MEMORY_WARMUP', 10_000),
  };
  for (const name of [...config.contenders, ...config.memory]) {
    if (!specs.some((s) => s.name === name)) throw new Error(`unknown contender "${name}"`);
  }
  if (!config.contenders.includes('undici')) config.contenders.unshift('undici'); // the baseline

  const notes: string[] = [];
  let incomplete: string | undefined;
  const upstream = await startUpstream();
  log(`upstream ${upstream.origin} (pid ${upstream.pid}); ${JSON.stringify(config)}`);

  const contenders: Contender[] = [];
  const unavailable = new Map<string, string>();
  try {
    for (const name of config.contenders) {
      try {
        const contender = await createContender(name, upstream.origin, config.concurrency);
        await checkContender(contender);
        contenders.push(contender);
      } catch (err) {
        if (!(err instanceof PatchbayUnavailable)) throw err;
        unavailable.set(name, err.message);
        log(`skipping ${name}: ${err.message.split('\n')[0]}`);
      }
    }

    const summaries = await interleave(contenders, { ...config, log });
    const undici = summaries.find((s) => s.name === 'undici')!;
    const table = throughputTable(summaries, undici, {
      rounds: config.rounds,
      baselineLabel: 'undici',
      latencyRatios: true,
    });
    for (const name of unavailable.keys()) table.rows.push({ contender: name, errors: 'not measured' });

    for (const spec of specs) {
      if (config.contenders.includes(spec.name)) notes.push(`  ${spec.name.padEnd(9)} ${spec.note}`);
    }
    notes.unshift(
      `Each contender: ${config.rounds} interleaved rounds of ${fmtInt(config.requests)} requests (after ${fmtInt(
        config.warmup,
      )} warm-up) at concurrency ${config.concurrency}; the median round (by req/s) is shown. "x undici" is the`,
      `median over rounds of (req/s / bare undici's req/s in the same round). The server runs in a child process;`,
      `on a 2-core machine it shares the CPUs with the clients, so the ratios understate client-side differences.`,
      '',
    );
    for (const [name, reason] of unavailable) {
      notes.push('', `${name} NOT MEASURED: ${reason}`);
      incomplete = `${name} not measured`;
    }
    for (const s of summaries) {
      const errors = s.rounds.reduce((n, r) => n + r.errors, 0);
      if (errors)
        notes.push(
          `${s.name}: ${errors} failed requests; first: ${s.rounds.find((r) => r.firstError)?.firstError}`,
        );
    }
    notes.push('', ...verdicts(summaries, undici));
    for (const c of contenders) await c.close?.();

    // Memory phase: a fresh client in a fresh process per target, so that neither the other
    // contenders' heaps nor their release blur the samples.
    const memory: Record<string, MemoryResult> = {};
    const tables: Table[] = [table];
    for (const name of config.memory) {
      if (unavailable.has(name)) {
        notes.push(`memory phase for ${name} skipped: not available`);
        continue;
      }
      log(
        `memory phase: ${name}, ${fmtInt(config.memoryRequests)} requests, sample every ${fmtInt(config.memoryEvery)}`,
      );
      try {
        const result = await runMemoryPhaseInChild({
          module: import.meta.url,
          factory: 'createContender',
          contender: name,
          origin: upstream.origin,
          total: config.memoryRequests,
          every: config.memoryEvery,
          concurrency: config.concurrency,
          warmup: config.memoryWarmup,
          log,
        });
        memory[name] = result;
        tables.push(memoryTable(name, result));
        notes.push(...memoryVerdict(name, result));
      } catch (err) {
        notes.push(`memory phase for ${name} failed: ${describeError(err)}`);
        incomplete = `memory phase for ${name} failed`;
      }
    }

    const result: BenchResult = {
      title: `HTTP clients, GET ${PATH} (small JSON) from a loopback keep-alive server, concurrency ${config.concurrency}`,
      config,
      tables,
      notes,
      data: { contenders: summaries, unavailable: Object.fromEntries(unavailable), memory },
    };
    if (incomplete) result.incomplete = incomplete;
    return result;
  } finally {
    await upstream.close();
  }
}

function verdicts(summaries: ContenderSummary[], undici: ContenderSummary): string[] {
  const patchbay = summaries.find((s) => s.name === 'patchbay');
  if (!patchbay) return ['Goals: not checked (Patchbay was not measured).'];
  const lines = ['Goals:'];
  const r = pairedRatio(patchbay, undici, (x) => x.rps);
  lines.push(`  [${r >= 0.9 ? 'PASS' : 'FAIL'}] Patchbay >= 0.9x bare undici's throughput: ${r.toFixed(2)}x`);
  for (const other of ['axios', 'got']) {
    const o = summaries.find((s) => s.name === other);
    if (!o) continue;
    const vs = pairedRatio(patchbay, o, (x) => x.rps);
    lines.push(
      `  [${vs > 1 ? 'PASS' : 'FAIL'}] Patchbay faster than ${other}: ${vs.toFixed(2)}x ${other}'s req/s`,
    );
  }
  return lines;
}

function memoryTable(name: string, m: MemoryResult): Table {
  const mb = (v: Cell) => (typeof v === 'number' ? v.toFixed(1) : '');
  const mb2 = (v: Cell) => (typeof v === 'number' ? v.toFixed(2) : '');
  return {
    title: `Memory: ${name}, ${fmtInt(m.total)} requests at concurrency ${m.concurrency} after ${fmtInt(m.warmup)} warm-up (${
      m.gcExposed ? 'sampled after global.gc()' : 'NO --expose-gc: samples include garbage'
    }; ${fmtInt(m.rps)} req/s)`,
    columns: [
      { key: 'requests', label: 'requests', format: fmtCount },
      { key: 'rssMB', label: 'rss MB', format: mb },
      { key: 'heapUsedMB', label: 'heapUsed MB', format: mb2 },
      { key: 'externalMB', label: 'external MB', format: mb2 },
    ],
    rows: m.samples.map((s) => ({ ...s })),
  };
}

function memoryVerdict(name: string, m: MemoryResult): string[] {
  const first = m.samples[0]!;
  const lines = [
    `Memory growth (${name}), first sample after warm-up -> last: rss ${signed(m.growth.rssMB)} MB, heapUsed ${signed(
      m.growth.heapUsedMB,
    )} MB, external ${signed(m.growth.externalMB)} MB`,
  ];
  if (m.errors) lines.push(`  ${m.errors} failed requests; first: ${m.firstError}`);
  // A heuristic: the issue asks for "flat"; allow allocator noise, not a leak's steady climb.
  const flat = m.growth.heapUsedMB < 2 && m.growth.rssMB < Math.max(10, first.rssMB * 0.1);
  lines.push(
    `  [${flat ? 'PASS' : 'FAIL'}] resident memory flat over ${fmtInt(m.total)} requests (heuristic: heapUsed growth < 2 MB and rss growth < max(10 MB, 10%))`,
  );
  return lines;
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
