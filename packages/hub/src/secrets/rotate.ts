import type { SecretCipher } from './cipher.js';
import { envelopeKeyId } from './envelope.js';
import { SecretError } from './secret-errors.js';

/**
 * Re-encrypts one envelope under `to`'s key. An envelope already under `to`'s key is returned as
 * it is, so an interrupted rotation can simply be run again.
 */
export function rotate(envelope: string, from: SecretCipher, to: SecretCipher, aad?: string): string {
  if (envelopeKeyId(envelope) === to.keyId) return envelope;
  return to.encrypt(from.decrypt(envelope, aad), aad);
}

/** One stored secret: its row id, its envelope and the AAD it was sealed with. */
export interface EncryptedItem {
  id: string;
  envelope: string;
  aad?: string;
}

export interface ReencryptedItem {
  id: string;
  envelope: string;
  /** False when the item was already under the new key (nothing to write). */
  changed: boolean;
}

/** A rotation stopped on one item; `id` says which, `cause` says why (never the value). */
export class RotationError extends SecretError {
  constructor(
    readonly id: string,
    cause: unknown,
  ) {
    const code = cause instanceof SecretError ? cause.code : 'MALFORMED_ENVELOPE';
    super(code, `cannot re-encrypt secret ${id}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Re-encrypts every item under `to`'s key, lazily, one at a time, so the caller can write each
 * result in the same transaction as it likes and the storage-wide command can show progress.
 * Stops at the first item it cannot decrypt, throwing {@link RotationError} with its id.
 * @example
 * for await (const item of reencryptAll(store.secretEnvelopes(), oldCipher, newCipher)) {
 *   if (item.changed) await store.updateSecret(item.id, item.envelope);
 * }
 */
export async function* reencryptAll(
  items: AsyncIterable<EncryptedItem> | Iterable<EncryptedItem>,
  from: SecretCipher,
  to: SecretCipher,
): AsyncGenerator<ReencryptedItem> {
  for await (const item of items) {
    let envelope: string;
    try {
      envelope = rotate(item.envelope, from, to, item.aad);
    } catch (error) {
      throw new RotationError(item.id, error);
    }
    yield { id: item.id, envelope, changed: envelope !== item.envelope };
  }
}
