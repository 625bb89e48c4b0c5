// Secrets: envelope encryption under a master key, rotation, and the Vault KV v2 reader.

export type { MasterKeySource, SecretCipher, SecretCipherOptions } from './cipher.js';
export { createSecretCipher, dlqAad, secretAad } from './cipher.js';
export { ENVELOPE_VERSION, envelopeKeyId, isEnvelope } from './envelope.js';
export type { MasterKey } from './master-key.js';
export { generateMasterKey, masterKeyId, parseMasterKey } from './master-key.js';
export type { EncryptedItem, ReencryptedItem } from './rotate.js';
export { RotationError, reencryptAll, rotate } from './rotate.js';
export type { SecretErrorCode } from './secret-errors.js';
export {
  isSecretError,
  SecretAuthenticationError,
  SecretError,
  SecretKeyMismatchError,
} from './secret-errors.js';
export type { VaultErrorCode } from './vault/vault-error.js';
export { isVaultError, VaultError } from './vault/vault-error.js';
export type { VaultReader, VaultReaderOptions } from './vault/vault-reader.js';
export { createVaultReader } from './vault/vault-reader.js';
export type { VaultReference, VaultResolver } from './vault/vault-reference.js';
export {
  createVaultResolver,
  looksLikeVaultReference,
  parseVaultReference,
} from './vault/vault-reference.js';
