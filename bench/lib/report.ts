import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Cell = string | number | null | undefined;

export interface Column {
  key: string;
  label: string;
  align?: 'left' | 'right';
  /** how to print the cell; the JSON output keeps the raw value */
  format?: (value: Cell) => string;
}

export interface Table {
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

/** What a `bench/*.bench.ts` file's `run()` returns. */
export interface BenchResult {
  /** one-line description of what was measured */
  title: string;
  /** the knobs used (request counts, concurrency, ...) */
  config: Record<string, unknown>;
  tables: Table[];
  /** printed under the tables: caveats, goals and verdicts */
  notes: string[];
  /** anything else worth keeping in the JSON file (per-round results, samples, ...) */
  data?: unknown;
  /** set when the bench could not measure everything it should have (makes `npm run bench` exit 1) */
  incomplete?: string;
}

export interface BenchContext {
  /** progress output (stderr), so stdout stays the report */
  log: (line: string) => void;
}

export type BenchModule = { run: (ctx: BenchContext) => Promise<BenchResult> };

export function formatTable(table: Table): string {
  const cells = table.rows.map((row) =>
    table.columns.map((col) => {
      const value = row[col.key];
      if (col.format) return col.format(value);
      return value === null || value === undefined ? '' : String(value);
    }),
  );
  const widths = table.columns.map((col, i) => Math.max(col.label.length, ...cells.map((r) => r[i]!.length)));
  const pad = (text: string, i: number) => {
    const right = (table.columns[i]!.align ?? (i === 0 ? 'left' : 'right')) === 'right';
    return right ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  };
  const line = (parts: string[]) => `| ${parts.map(pad).join(' | ')} |`;
  const rule = `|${widths
    .map((w, i) => {
      const right = (table.columns[i]!.align ?? (i === 0 ? 'left' : 'right')) === 'right';
      return right ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`;
    })
    .join('|')}|`;
  return [`${table.title}`, '', line(table.columns.map((c) => c.label)), rule, ...cells.map(line)].join('\n');
}

export function writeJson(dir: string, name: string, value: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}
