import { isSecretSchema } from '@patchbay/core';
import type { z } from 'zod';

const SENSITIVE_KEY =
  /pass(word|phrase)?$|secret|token|api[-_]?key|authorization|credential|private[-_]?key|signature|cookie/i;
const MAX_DEPTH = 8;
const MAX_STRING = 2000;
const MAX_ITEMS = 100;

/**
 * An operation's input as it may be written to the audit log: fields its schema marks `secret()`
 * and keys that name secrets (`password`, `apiKey`, `token`, …) become `"***"`, at any depth;
 * long strings and arrays are cut.
 */
export function redactInput(input: unknown, schema?: z.ZodType): unknown {
  const secretKeys = new Set<string>();
  const shape = (schema as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (shape && typeof shape === 'object') {
    for (const [key, field] of Object.entries(shape)) if (isSecretSchema(field)) secretKeys.add(key);
  }
  return walk(input, 0, secretKeys);
}

function walk(value: unknown, depth: number, secretKeys: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => walk(item, depth + 1, new Set()));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = secretKeys.has(key) || SENSITIVE_KEY.test(key) ? '***' : walk(inner, depth + 1, new Set());
  }
  return out;
}
