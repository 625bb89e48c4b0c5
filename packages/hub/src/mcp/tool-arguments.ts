import type { JsonSchema } from '../tools/json-schema.js';

/** The argument a write tool takes to ask for a dry run (documented in its input schema). */
export const DRY_RUN_ARGUMENT = 'dry_run';
/** The `_meta` key of a tools/call request that asks for a dry run, for clients that set it in code. */
export const DRY_RUN_META = 'patchbay/dryRun';

/** Keys agents wrap their arguments in (`{"arguments": "{…}"}`), when the tool declares no such field. */
const WRAPPERS = new Set(['arguments', 'args', 'input', 'params', 'parameters']);

export interface PreparedArguments {
  /** The arguments as the operation should see them. */
  input: Record<string, unknown> | unknown;
  dryRun: boolean;
}

type Kind = 'object' | 'array' | 'number' | 'integer' | 'boolean' | 'string' | 'null';

/**
 * Arguments as agents send them, made into what the tool's schema asks for. Agents (and the
 * frameworks between them and us) make the same few mistakes; each fix applies only where the
 * schema leaves no doubt, so anything else reaches validation unchanged and is named there:
 * - the whole arguments object sent as a JSON string, or wrapped once in `arguments`/`input`/…;
 * - a field whose schema wants an object or array sent as a JSON string;
 * - a number or boolean sent as a string (`"10"`, `"true"`) where the schema does not take strings.
 * `dry_run` is taken out (unless the operation has such a field itself).
 * @example
 * prepareArguments('{"query":"x","limit":"5"}', schema) // { input: { query: 'x', limit: 5 }, dryRun: false }
 */
export function prepareArguments(
  raw: unknown,
  schema: JsonSchema,
  meta?: Record<string, unknown> | undefined,
): PreparedArguments {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  let args = parseJsonObject(raw) ?? raw;
  args = unwrap(args, properties);
  if (!isPlainObject(args)) return { input: args ?? {}, dryRun: meta?.[DRY_RUN_META] === true };

  const input: Record<string, unknown> = {};
  let dryRun = meta?.[DRY_RUN_META] === true;
  for (const [key, value] of Object.entries(args)) {
    if (key === DRY_RUN_ARGUMENT && !Object.hasOwn(properties, key)) {
      dryRun ||= value === true || value === 'true';
      continue;
    }
    const fieldSchema = Object.hasOwn(properties, key) ? properties[key] : undefined;
    input[key] = fieldSchema ? coerce(value, kinds(fieldSchema)) : value;
  }
  return { input, dryRun };
}

/** A JSON string of an object, parsed; otherwise undefined. */
function parseJsonObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `{ "arguments": {…} }` (or a JSON string of it) as `{…}`, when the tool has no such field. */
function unwrap(args: unknown, properties: Record<string, JsonSchema>): unknown {
  if (!isPlainObject(args)) return args;
  const keys = Object.keys(args);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === undefined || !WRAPPERS.has(only) || Object.hasOwn(properties, only)) return args;
  const inner = args[only];
  const parsed = isPlainObject(inner) ? inner : parseJsonObject(inner);
  return parsed ?? args;
}

function coerce(value: unknown, accepted: ReadonlySet<Kind>): unknown {
  if (typeof value !== 'string' || accepted.size === 0 || accepted.has('string')) return value;
  const text = value.trim();
  if ((accepted.has('object') && text.startsWith('{')) || (accepted.has('array') && text.startsWith('['))) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) ? accepted.has('array') : isPlainObject(parsed) && accepted.has('object')) {
        return parsed;
      }
    } catch {
      return value;
    }
  }
  if ((accepted.has('number') || accepted.has('integer')) && text !== '' && Number.isFinite(Number(text))) {
    const n = Number(text);
    if (accepted.has('number') || Number.isInteger(n)) return n;
  }
  if (accepted.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return value;
}

/** The JSON types a field schema accepts (through `anyOf`/`oneOf`); empty when it does not say. */
function kinds(schema: JsonSchema, depth = 0): Set<Kind> {
  const out = new Set<Kind>();
  if (depth > 4) return out;
  const type = schema.type;
  if (typeof type === 'string') out.add(type as Kind);
  else if (Array.isArray(type)) for (const t of type) out.add(t as Kind);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    for (const option of options as JsonSchema[]) for (const k of kinds(option, depth + 1)) out.add(k);
  }
  if (out.size === 0 && (schema.enum !== undefined || schema.const !== undefined)) out.add('string');
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
