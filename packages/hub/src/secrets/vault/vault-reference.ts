import { VaultError } from './vault-error.js';
import type { VaultReader } from './vault-reader.js';

/** `vault:<path>#<field>`: the field `field` of the KV v2 secret at `path`. */
export interface VaultReference {
  path: string;
  field: string;
}

const PREFIX = 'vault:';
const REFERENCE = /^vault:([^#\s]+)#([^#\s]+)$/;

/** True for any value written as a Vault reference, well-formed or not. */
export function looksLikeVaultReference(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/**
 * Parses `vault:email/sendgrid#api_key`. Throws `VaultError` (`BAD_REFERENCE`) for a value that
 * starts with `vault:` but is not a reference, so a typo never becomes a literal credential.
 */
export function parseVaultReference(value: string): VaultReference {
  const match = REFERENCE.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new VaultError(
      'BAD_REFERENCE',
      `a vault reference must look like vault:<path>#<field>, e.g. vault:email/sendgrid#api_key`,
      undefined,
    );
  }
  return { path: match[1], field: match[2] };
}

/** Resolves references, reading each path once (a secret's fields usually travel together). */
export interface VaultResolver {
  resolve(reference: string | VaultReference): Promise<string>;
}

export function createVaultResolver(reader: Pick<VaultReader, 'read'>): VaultResolver {
  const reads = new Map<string, Promise<Record<string, string>>>();
  return {
    async resolve(reference) {
      const { path, field } = typeof reference === 'string' ? parseVaultReference(reference) : reference;
      let pending = reads.get(path);
      if (!pending) {
        pending = reader.read(path);
        reads.set(path, pending);
      }
      const secret = await pending;
      const value = secret[field];
      if (value === undefined) {
        const fields = Object.keys(secret).sort().join(', ') || 'none';
        throw new VaultError(
          'FIELD_MISSING',
          `vault: the secret at ${path} has no field ${JSON.stringify(field)} (its fields: ${fields})`,
          path,
        );
      }
      return value;
    },
  };
}
