// Micro-benchmark harness for per-call costs in the nanosecond-to-microsecond range (a breaker
// or a limiter around an already-resolved function). Unlike `runLoad` it takes no timestamp per
// call: it awaits `fn` in batches and reads the clock once per batch, so the clock does not
// dominate a 50 ns call. Contenders are interleaved over rounds like `interleave` does.
import { collectGarbage, median } from './harness.ts';

export interface MicroResult {
  calls: number;
  /** calls whose promise rejected (expected in failure and fail-fast cases) */
  rejected: number;
  ms: number;
  /** wall time per call: ms / calls, in ns (with concurrency > 1, the inverse of throughput) */
  nsPerCall: number;
  callsPerSec: number;
}

export interface MicroOptions {
  /** measure for at least this long */
  measureMs: number;
  /** untimed run before each measurement (JIT, caches) */
  warmupMs: number;
  /** calls in flight at once; 1 is a plain `for … await` loop */
  concurrency: number;
}

/**
 * Awaits `fn` over and over for at least `minMs`, `concurrency` loops at once, reading the clock
 * once per batch (batches double until one takes ~1/32 of the time, so slow calls such as a Redis
 * round trip do not overshoot much and fast ones hardly touch the clock).
 */
export async function timeCalls(
  fn: () => Promise<unknown>,
  minMs: number,
  concurrency = 1,
): Promise<MicroResult> {
  let calls = 0;
  let rejected = 0;
  const started = performance.now();
  let deadlinePassed = false;
  const loop = async (): Promise<void> => {
    let batch = 8;
    while (!deadlinePassed) {
      const batchStart = performance.now();
      for (let i = 0; i < batch; i++) {
        try {
          await fn();
        } catch {
          rejected++;
        }
      }
      calls += batch;
      const now = performance.now();
      if (now - started >= minMs) deadlinePassed = true;
      else if (now - batchStart < minMs / 32 && batch < 1 << 20) batch *= 2;
    }
  };
  if (concurrency <= 1) {
    await loop();
  } else {
    await Promise.all(Array.from({ length: concurrency }, loop));
  }
  const ms = performance.now() - started;
  return { calls, rejected, ms, nsPerCall: (ms * 1e6) / calls, callsPerSec: (calls / ms) * 1000 };
}

export interface MicroContender {
  name: string;
  fn: () => Promise<unknown>;
}

export interface MicroSummary {
  name: string;
  rounds: MicroResult[];
  /** the round with the median ns/call */
  median: MicroResult;
  nsMin: number;
  nsMax: number;
}

/**
 * Measures every contender once per round, rotating the order each round; each measurement is
 * preceded by a warm-up and a full GC. `check` runs after each measurement (e.g. "the breaker is
 * still closed") and may throw.
 */
export async function interleaveMicro(
  contenders: MicroContender[],
  opts: MicroOptions & {
    rounds: number;
    log?: (line: string) => void;
    label?: string;
    check?: (contender: MicroContender, result: MicroResult) => void;
  },
): Promise<MicroSummary[]> {
  const log = opts.log ?? (() => {});
  const perContender = contenders.map(() => [] as MicroResult[]);
  for (let round = 0; round < opts.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const contender = contenders[index]!;
      if (opts.warmupMs > 0) await timeCalls(contender.fn, opts.warmupMs, opts.concurrency);
      await collectGarbage();
      const result = await timeCalls(contender.fn, opts.measureMs, opts.concurrency);
      opts.check?.(contender, result);
      perContender[index]!.push(result);
      log(
        `  ${opts.label ? `${opts.label} ` : ''}round ${round + 1}/${opts.rounds}  ${contender.name.padEnd(28)}` +
          ` ${fmtNs(result.nsPerCall).padStart(10)} ns/call  (${result.calls} calls, ${result.rejected} rejected)`,
      );
    }
  }
  return contenders.map((contender, i) => {
    const rounds = perContender[i]!;
    const byNs = [...rounds].sort((a, b) => a.nsPerCall - b.nsPerCall);
    return {
      name: contender.name,
      rounds,
      median: byNs[Math.floor((byNs.length - 1) / 2)]!,
      nsMin: byNs[0]!.nsPerCall,
      nsMax: byNs[byNs.length - 1]!.nsPerCall,
    };
  });
}

/** Median over rounds of `contender ns/call ÷ reference ns/call` (the two ran in the same round). */
export function pairedNsRatio(contender: MicroSummary, reference: MicroSummary): number {
  const ratios = contender.rounds
    .map((r, i) => r.nsPerCall / reference.rounds[i]!.nsPerCall)
    .sort((a, b) => a - b);
  return median(ratios);
}

/** 3 significant digits below 1000, thousands separators above. */
export function fmtNs(ns: number | null | undefined): string {
  if (ns === null || ns === undefined || !Number.isFinite(ns)) return '';
  if (ns >= 1000) return Math.round(ns).toLocaleString('en-US');
  return ns.toPrecision(3);
}
