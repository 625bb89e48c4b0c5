import type { SecretCipher } from '../secrets/cipher.js';
import { isEnvelope } from '../secrets/envelope.js';
import { isSecretError } from '../secrets/secret-errors.js';
import { isVaultError } from '../secrets/vault/vault-error.js';
import { createVaultReader, type VaultReader } from '../secrets/vault/vault-reader.js';
import { createVaultResolver, looksLikeVaultReference } from '../secrets/vault/vault-reference.js';
import type { ConfigIssue } from './config-error.js';
import type { Candidate } from './config-layers.js';

/** A value that may be a reference, and where its integration field lives (for the AAD). */
export interface Resolvable {
  candidate: Candidate;
  /** `integration/field` for stored integration values, the AAD their envelopes were sealed with. */
  aad?: string;
}

export interface VaultSettings {
  addr: string | undefined;
  token: string | undefined;
  namespace: string | undefined;
  mount: string;
}

/**
 * Replaces, in place, `vault:<path>#<field>` references by what Vault holds and stored envelopes
 * by their plaintext. Failures become issues naming the variable or path (never a value).
 */
export async function resolveReferences(
  items: readonly Resolvable[],
  options: { vault: VaultSettings; reader: VaultReader | undefined; cipher: SecretCipher | undefined },
  issues: ConfigIssue[],
): Promise<void> {
  for (const { candidate, aad } of items) {
    if (!isEnvelope(candidate.value)) continue;
    candidate.sensitive = true;
    if (!options.cipher) {
      issues.push({
        name: candidate.name,
        message: 'is encrypted, but no secret cipher was given to decrypt it',
      });
      continue;
    }
    try {
      candidate.value = options.cipher.decrypt(candidate.value, aad);
    } catch (error) {
      if (!isSecretError(error)) throw error;
      issues.push({ name: candidate.name, message: error.message });
    }
  }

  const references = items.filter(({ candidate }) => looksLikeVaultReference(candidate.value));
  if (references.length === 0) return;
  let reader = options.reader;
  const own = reader === undefined;
  if (!reader) {
    const { addr, token, namespace, mount } = options.vault;
    if (!addr || !token) {
      for (const { candidate } of references) {
        issues.push({
          name: candidate.name,
          message: 'is a vault: reference, but VAULT_ADDR and VAULT_TOKEN are not both set',
        });
      }
      return;
    }
    try {
      reader = createVaultReader({ addr, token, mount, ...(namespace ? { namespace } : {}) });
    } catch (error) {
      issues.push({
        name: 'VAULT_ADDR',
        message: `cannot create the Vault client: ${(error as Error).message}`,
      });
      return;
    }
  }
  try {
    const resolver = createVaultResolver(reader);
    await Promise.all(
      references.map(async ({ candidate }) => {
        try {
          candidate.value = await resolver.resolve(candidate.value as string);
          candidate.sensitive = true;
        } catch (error) {
          if (!isVaultError(error)) throw error;
          issues.push({ name: candidate.name, message: error.message });
        }
      }),
    );
  } finally {
    if (own) await reader.close();
  }
}
