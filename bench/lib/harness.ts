import { setImmediate as tick } from 'node:timers/promises';

/** One measured load run: `requests` calls of `fn`, `concurrency` of them in flight at a time. */
export interface LoadResult {
  requests: number;
  concurrency: number;
  errors: number;
  firstError?: string;
  durationMs: number;
  /** completed requests (including failed ones) per second of wall time */
  rps: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * CPU time (user + system, µs) the server under test spent during the run, when the contender
   * can tell ({@link Contender.serverCpuMicros}): a cost per request that other load on a shared
   * machine does not blur the way it blurs req/s.
   */
  serverCpuMicros?: number;
}

export interface LoadOptions {
  requests: number;
  concurrency: number;
}

/**
 * Runs `requests` calls of `fn` with `concurrency` async workers pulling the next index from a
 * shared counter, and records each call's latency into a preallocated Float64Array.
 */
export async function runLoad(
  fn: () => Promise<unknown>,
  { requests, concurrency }: LoadOptions,
): Promise<LoadResult> {
  const latencies = new Float64Array(requests);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= requests) return;
      const start = performance.now();
      try {
        await fn();
      } catch (err) {
        errors++;
        firstError ??= describeError(err);
      }
      latencies[i] = performance.now() - start;
    }
  };

  const workers = new Array<Promise<void>>(Math.min(concurrency, requests));
  const started = performance.now();
  for (let w = 0; w < workers.length; w++) workers[w] = worker();
  await Promise.all(workers);
  const durationMs = performance.now() - started;

  latencies.sort();
  let sum = 0;
  for (let i = 0; i < latencies.length; i++) sum += latencies[i]!;
  const result: LoadResult = {
    requests,
    concurrency,
    errors,
    durationMs,
    rps: (requests / durationMs) * 1000,
    meanMs: sum / requests,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
    return `${err.name}${code ? ` ${String(code)}` : ''}: ${err.message}${cause}`;
  }
  return String(err);
}

export const gcExposed = (): boolean => typeof globalThis.gc === 'function';

/** Full GC (when node runs with --expose-gc), with a turn of the event loop for finalizers. */
export async function collectGarbage(): Promise<void> {
  if (typeof globalThis.gc !== 'function') return;
  globalThis.gc();
  await tick();
  globalThis.gc();
}

/** A client under test: `call` makes one request and resolves with the parsed body. */
export interface Contender {
  name: string;
  call: () => Promise<unknown>;
  close?: () => Promise<void> | void;
  /** The server process's CPU time so far (µs), read before and after each measured run. */
  serverCpuMicros?: () => Promise<number>;
}

export interface InterleaveOptions {
  rounds: number;
  requests: number;
  warmup: number;
  concurrency: number;
  log?: (line: string) => void;
}

export interface ContenderSummary {
  name: string;
  /** the measurement of each round, in round order */
  rounds: LoadResult[];
  /** the round with the median throughput */
  median: LoadResult;
  rpsMin: number;
  rpsMax: number;
}

/**
 * Measures every contender once per round, `rounds` times, rotating the order each round so that
 * none always runs first or last. Each measurement is preceded by a warm-up run and a full GC.
 * Interleaving spreads the noise of a shared machine over all contenders alike.
 */
export async function interleave(
  contenders: Contender[],
  opts: InterleaveOptions,
): Promise<ContenderSummary[]> {
  const log = opts.log ?? (() => {});
  const perContender = contenders.map(() => [] as LoadResult[]);
  for (let round = 0; round < opts.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const contender = contenders[index]!;
      if (opts.warmup > 0) {
        await runLoad(contender.call, { requests: opts.warmup, concurrency: opts.concurrency });
      }
      await collectGarbage();
      const cpuBefore = await contender.serverCpuMicros?.();
      const result = await runLoad(contender.call, {
        requests: opts.requests,
        concurrency: opts.concurrency,
      });
      if (cpuBefore !== undefined && contender.serverCpuMicros) {
        result.serverCpuMicros = (await contender.serverCpuMicros()) - cpuBefore;
      }
      perContender[index]!.push(result);
      log(
        `  round ${round + 1}/${opts.rounds}  ${contender.name.padEnd(10)} ${fmtInt(result.rps).padStart(7)} req/s` +
          `  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms` +
          (result.serverCpuMicros === undefined
            ? ''
            : `  server CPU ${(result.serverCpuMicros / result.requests).toFixed(0)} µs/req`) +
          (result.errors ? `  ERRORS ${result.errors}: ${result.firstError}` : ''),
      );
    }
  }
  return contenders.map((contender, i) => {
    const rounds = perContender[i]!;
    const byRps = [...rounds].sort((a, b) => a.rps - b.rps);
    return {
      name: contender.name,
      rounds,
      median: byRps[Math.floor((byRps.length - 1) / 2)]!,
      rpsMin: byRps[0]!.rps,
      rpsMax: byRps[byRps.length - 1]!.rps,
    };
  });
}

/** Median of the per-round ratios `metric(contender) / metric(baseline)` (rounds are paired in time). */
export function pairedRatio(
  contender: ContenderSummary,
  baseline: ContenderSummary,
  metric: (r: LoadResult) => number,
): number {
  const ratios = contender.rounds
    .map((r, i) => metric(r) / metric(baseline.rounds[i]!))
    .sort((a, b) => a - b);
  return median(ratios);
}

export function median(sortedAscending: number[]): number {
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 ? sortedAscending[mid]! : (sortedAscending[mid - 1]! + sortedAscending[mid]!) / 2;
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
