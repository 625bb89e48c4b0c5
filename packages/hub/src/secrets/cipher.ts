import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DATA_KEY_BYTES, ENVELOPE_VERSION, formatEnvelope, IV_BYTES, parseEnvelope } from './envelope.js';
import { loadOrCreateKeyFile, type MasterKey, parseMasterKey } from './master-key.js';
import { SecretAuthenticationError, SecretKeyMismatchError } from './secret-errors.js';

export interface SecretCipherOptions {
  /**
   * The master key (`PATCHBAY_MASTER_KEY`): 32 bytes as base64 or 64 hex digits. When set, no key
   * file is read or written. An empty string counts as unset.
   */
  masterKey?: string;
  /**
   * Where the generated key file lives when no master key is given.
   * @default './data' (resolved against the working directory)
   */
  dataDir?: string;
  /** @default `<dataDir>/master.key` */
  keyFile?: string;
  /**
   * Older master keys this cipher may still decrypt with (never encrypt with), so a fleet can
   * switch keys before `patchbay secrets rotate` has re-encrypted everything.
   */
  previousKeys?: readonly string[];
}

/** Where the master key came from, for the start-up log line. */
export type MasterKeySource = 'env' | 'key-file' | 'generated-key-file';

/** Envelope encryption under one master key. Synchronous: a secret is a few hundred bytes. */
export interface SecretCipher {
  /** The id written into every envelope this cipher makes. */
  readonly keyId: string;
  readonly source: MasterKeySource;
  /** The key file used, when the key came from one. */
  readonly keyFile: string | undefined;
  /**
   * Encrypts under a fresh random data key.
   * @param aad what the value belongs to; decrypt must pass the same. Use {@link secretAad}.
   */
  encrypt(plaintext: string, aad?: string): string;
  /** Throws {@link SecretKeyMismatchError} or {@link SecretAuthenticationError}; never returns garbage. */
  decrypt(envelope: string, aad?: string): string;
  /** True when this cipher holds the key the envelope names (it may still fail authentication). */
  canDecrypt(envelope: string): boolean;
}

/** The AAD that binds a stored secret to its place: a ciphertext moved to another field fails. */
export function secretAad(integration: string, field: string): string {
  return `${integration}/${field}`;
}

/** The AAD a dead letter's input is sealed with: it cannot be moved to another entry. */
export function dlqAad(id: string): string {
  return `dlq/${id}`;
}

/**
 * Builds the cipher from `PATCHBAY_MASTER_KEY`, or from `<dataDir>/master.key` (created with mode
 * 0600 on first start). A malformed key or a key file others can read throws at once, naming it.
 * @example
 * const cipher = createSecretCipher({ masterKey: env.PATCHBAY_MASTER_KEY, dataDir: config.dataDir });
 * const stored = cipher.encrypt(token, secretAad('github', 'token'));
 */
export function createSecretCipher(options: SecretCipherOptions = {}): SecretCipher {
  let current: MasterKey;
  let source: MasterKeySource;
  let keyFile: string | undefined;
  if (options.masterKey !== undefined && options.masterKey !== '') {
    current = parseMasterKey(options.masterKey, 'PATCHBAY_MASTER_KEY');
    source = 'env';
  } else {
    keyFile = resolve(options.keyFile ?? join(options.dataDir ?? 'data', 'master.key'));
    const loaded = loadOrCreateKeyFile(keyFile);
    current = loaded.key;
    source = loaded.created ? 'generated-key-file' : 'key-file';
  }
  const keyring = new Map<string, Buffer>([[current.id, current.key]]);
  for (const [index, text] of (options.previousKeys ?? []).entries()) {
    const previous = parseMasterKey(text, `previousKeys[${index}]`);
    if (!keyring.has(previous.id)) keyring.set(previous.id, previous.key);
  }

  return {
    keyId: current.id,
    source,
    keyFile,
    encrypt(plaintext, aad) {
      if (typeof plaintext !== 'string') throw new TypeError('encrypt: plaintext must be a string');
      const dataKey = randomBytes(DATA_KEY_BYTES);
      try {
        const wrapped = seal(current.key, dataKey, wrapAad(current.id));
        const sealed = seal(dataKey, Buffer.from(plaintext, 'utf8'), valueAad(current.id, aad));
        return formatEnvelope({
          keyId: current.id,
          wrapIv: wrapped.iv,
          wrappedKey: wrapped.ciphertext,
          wrapTag: wrapped.tag,
          iv: sealed.iv,
          ciphertext: sealed.ciphertext,
          tag: sealed.tag,
        });
      } finally {
        dataKey.fill(0);
      }
    },
    decrypt(envelope, aad) {
      const parts = parseEnvelope(envelope);
      const masterKey = keyring.get(parts.keyId);
      if (!masterKey) throw new SecretKeyMismatchError(parts.keyId, current.id);
      const dataKey = open(masterKey, parts.wrapIv, parts.wrappedKey, parts.wrapTag, wrapAad(parts.keyId));
      if (!dataKey) throw new SecretAuthenticationError(aad);
      try {
        const plaintext = open(dataKey, parts.iv, parts.ciphertext, parts.tag, valueAad(parts.keyId, aad));
        if (!plaintext) throw new SecretAuthenticationError(aad);
        return plaintext.toString('utf8');
      } finally {
        dataKey.fill(0);
      }
    },
    canDecrypt(envelope) {
      return keyring.has(parseEnvelope(envelope).keyId);
    },
  };
}

// The version and key id are authenticated too, so neither can be swapped in the envelope text.
const wrapAad = (keyId: string) => Buffer.from(`${ENVELOPE_VERSION}|wrap|${keyId}`);
const valueAad = (keyId: string, aad: string | undefined) =>
  Buffer.from(`${ENVELOPE_VERSION}|value|${keyId}|${aad ?? ''}`);

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when authentication fails. */
function open(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
