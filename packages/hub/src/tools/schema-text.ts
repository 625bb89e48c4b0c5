import type { NodeMeta } from './schema-ir.js';

const MAX_LISTED = 20;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `minLength 1; uniqueItems true` for the keywords a format cannot carry. */
export function constraintNote(constraints: Record<string, unknown>): string | undefined {
  const entries = Object.entries(constraints);
  if (entries.length === 0) return undefined;
  return entries
    .map(([key, value]) => `${key} ${typeof value === 'string' ? value : show(value)}`)
    .join('; ');
}

/** `One of: "a", "b".` for an enum a format cannot carry. */
export function valuesNote(values: readonly unknown[]): string {
  const listed = values.slice(0, MAX_LISTED).map(show).join(', ');
  return `One of: ${listed}${values.length > MAX_LISTED ? ', …' : ''}.`;
}

export interface DescriptionNotes {
  /** Keywords the format drops, said in words so the model still sees them. */
  dropped?: Record<string, unknown>;
  /** Say the default in words (formats without `default`). */
  defaultInText?: boolean;
  /** Say the title in words (formats without `title`). */
  titleInText?: boolean;
  extra?: (string | undefined)[];
}

/**
 * The node's description, with what the target format cannot express appended in words:
 * `Page size. (maximum 100) Default: 20.`
 */
export function describe(meta: NodeMeta, notes: DescriptionNotes = {}): string | undefined {
  const parts: string[] = [];
  if (notes.titleInText && meta.title !== undefined && meta.description === undefined) parts.push(meta.title);
  if (meta.description !== undefined) parts.push(meta.description);
  const dropped = notes.dropped ? constraintNote(notes.dropped) : undefined;
  if (dropped !== undefined) parts.push(`(${dropped})`);
  for (const extra of notes.extra ?? []) if (extra !== undefined && extra !== '') parts.push(extra);
  if (notes.defaultInText && meta.default !== undefined) parts.push(`Default: ${show(meta.default.value)}.`);
  if (parts.length === 0) return undefined;
  // Sentences run together when joined: end each one but the last.
  return parts
    .map((part, i) => (i < parts.length - 1 && !/[.!?)]$/.test(part) ? `${part}.` : part))
    .join(' ');
}

/** The keywords of `constraints` a format keeps, and the ones it has to say in words. */
export function splitConstraints(
  constraints: Record<string, unknown>,
  keep: (key: string, value: unknown) => boolean,
): { kept: Record<string, unknown>; dropped: Record<string, unknown> } {
  const kept: Record<string, unknown> = {};
  const dropped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(constraints)) {
    if (keep(key, value)) kept[key] = value;
    else dropped[key] = value;
  }
  return { kept, dropped };
}

/**
 * True for a `pattern` without lookaround, backreferences or named groups: the regular
 * expressions providers compile for constrained decoding (RE2-like engines) do not have them, so
 * such a pattern is said in words instead.
 */
export function isPortablePattern(pattern: unknown): boolean {
  return typeof pattern === 'string' && !/\(\?[=!<]|\\[1-9]|\\k</.test(pattern);
}
