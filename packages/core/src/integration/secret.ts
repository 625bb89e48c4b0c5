import { z } from 'zod';

/** Marks config fields that hold credentials: encrypted at rest, redacted everywhere, write-only. */
export const secretRegistry = z.registry<{ secret: true }>();

/**
 * A non-empty string config field that holds a credential.
 * @example config: z.object({ token: secret(), baseUrl: z.string().url() })
 */
export function secret(): z.ZodString {
  const schema = z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'is required');
  secretRegistry.add(schema, { secret: true });
  return schema;
}

/** True when the schema (or the schema it wraps: optional, default, nullable) is a secret. */
export function isSecretSchema(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 5; depth++) {
    if (secretRegistry.has(current)) return true;
    const inner: unknown = (current as { unwrap?: () => unknown }).unwrap?.();
    current = inner instanceof z.ZodType ? inner : undefined;
  }
  return false;
}

/** Names of the top-level secret fields of a config object schema. */
export function secretFields(config: z.ZodObject): string[] {
  return Object.entries(config.shape)
    .filter(([, field]) => isSecretSchema(field as z.ZodType))
    .map(([name]) => name);
}
