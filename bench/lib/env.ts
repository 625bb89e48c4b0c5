/** Reads a positive integer from the environment, e.g. `BENCH_REQUESTS=50000`. Accepts `20k`, `1e5`, `200_000`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const text = raw.trim().toLowerCase().replaceAll('_', '');
  const value = text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  }
  return Math.round(value);
}

/** Reads a comma-separated list from the environment; `off`/`none` give an empty list. */
export function envList(name: string, fallback: readonly string[]): string[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 1 && /^(off|none|no|0|false)$/i.test(items[0]!)) return [];
  return items;
}
