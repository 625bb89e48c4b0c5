import { type ContenderSummary, fmtInt, type LoadResult, pairedRatio } from './harness.ts';
import type { Cell, Table } from './report.ts';

export const fmtMs = (v: Cell) => (typeof v === 'number' ? v.toFixed(2) : '');
export const fmtRatio = (v: Cell) => (typeof v === 'number' ? `${v.toFixed(2)}x` : '');
export const fmtCount = (v: Cell) => (typeof v === 'number' ? fmtInt(v) : String(v ?? ''));

/**
 * The table every throughput bench prints: req/s, p50 and p99 of the median round, each
 * contender's ratio to `baseline` measured in the same rounds, and the spread over rounds.
 */
export function throughputTable(
  summaries: ContenderSummary[],
  baseline: ContenderSummary,
  config: { rounds: number; baselineLabel: string; latencyRatios?: boolean },
): Table {
  const x = `x ${config.baselineLabel}`;
  return {
    title: 'Throughput and latency (median round)',
    columns: [
      { key: 'contender', label: 'contender' },
      { key: 'rps', label: 'req/s', format: fmtCount },
      { key: 'rpsRatio', label: x, format: fmtRatio },
      { key: 'p50Ms', label: 'p50 ms', format: fmtMs },
      { key: 'p99Ms', label: 'p99 ms', format: fmtMs },
      ...(config.latencyRatios
        ? [
            { key: 'p50Ratio', label: `p50 ${x}`, format: fmtRatio },
            { key: 'p99Ratio', label: `p99 ${x}`, format: fmtRatio },
          ]
        : []),
      { key: 'rpsRange', label: `req/s over ${config.rounds} rounds` },
      { key: 'errors', label: 'errors', format: fmtCount },
    ],
    rows: summaries.map((s) => ({
      contender: s.name,
      rps: s.median.rps,
      rpsRatio: pairedRatio(s, baseline, (r: LoadResult) => r.rps),
      p50Ms: s.median.p50Ms,
      p99Ms: s.median.p99Ms,
      ...(config.latencyRatios
        ? {
            p50Ratio: pairedRatio(s, baseline, (r: LoadResult) => r.p50Ms),
            p99Ratio: pairedRatio(s, baseline, (r: LoadResult) => r.p99Ms),
          }
        : {}),
      rpsRange: `${fmtInt(s.rpsMin)} – ${fmtInt(s.rpsMax)}`,
      errors: s.rounds.reduce((n, r) => n + r.errors, 0),
    })),
  };
}
