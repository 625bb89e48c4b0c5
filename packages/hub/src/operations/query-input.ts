import type { z } from 'zod';

type Kind = 'number' | 'boolean' | 'array' | 'other';

/** The JSON kind a field's schema wants, seen through optional/default/nullable wrappers. */
function kindOf(schema: z.ZodType | undefined): Kind {
  let current = schema as { def?: { type?: string; innerType?: unknown; in?: unknown } } | undefined;
  for (let depth = 0; current?.def && depth < 8; depth++) {
    const { type } = current.def;
    if (type === 'number' || type === 'int' || type === 'bigint') return 'number';
    if (type === 'boolean') return 'boolean';
    if (type === 'array') return 'array';
    if (
      type === 'optional' ||
      type === 'default' ||
      type === 'nullable' ||
      type === 'prefault' ||
      type === 'catch'
    ) {
      current = current.def.innerType as typeof current;
    } else if (type === 'pipe') {
      current = current.def.in as typeof current;
    } else {
      return 'other';
    }
  }
  return 'other';
}

/**
 * A query string as an operation's input: `?limit=10&labels=a,b&draft=true` becomes
 * `{ limit: 10, labels: ['a', 'b'], draft: true }` where the operation's schema wants a number,
 * an array or a boolean. Values that do not convert are passed on as they came, so the schema's
 * own error names the field. Only the schema's fields are converted; the rest go through as
 * strings (and a strict schema rejects them by name).
 * @example queryInput({ limit: '5' }, z.object({ limit: z.number() })) // { limit: 5 }
 */
export function queryInput(query: Record<string, unknown>, schema: z.ZodType): Record<string, unknown> {
  const shape = (schema as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const input: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const kind = Object.hasOwn(shape, key) ? kindOf(shape[key]) : 'other';
    input[key] = convert(raw, kind);
  }
  return input;
}

function convert(raw: unknown, kind: Kind): unknown {
  if (kind === 'array') {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.flatMap((item) =>
      typeof item === 'string' ? item.split(',').filter((s) => s !== '') : [item],
    );
  }
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (typeof value !== 'string') return value;
  if (kind === 'number') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  if (kind === 'boolean') {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
  }
  return value;
}
