import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretError } from './secret-errors.js';

export const MASTER_KEY_BYTES = 32;

/** A 256-bit master key and its public id. */
export interface MasterKey {
  readonly key: Buffer;
  /** A short hash of the key: safe to store and show, useless to an attacker. */
  readonly id: string;
}

/**
 * Parses a master key written as 64 hex digits or as base64 / base64url of 32 bytes.
 * @param label names the source in errors, e.g. `PATCHBAY_MASTER_KEY`
 */
export function parseMasterKey(text: string, label = 'PATCHBAY_MASTER_KEY'): MasterKey {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-f]{64}$/i.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === MASTER_KEY_BYTES) key = decoded;
  }
  if (!key) {
    // The length is all we say about the value: a near-miss key is still most of a key.
    throw new SecretError(
      'MASTER_KEY_INVALID',
      `${label} must be 32 random bytes written as base64 (44 characters) or hex (64 characters); ` +
        `got ${trimmed.length} characters that are neither. Generate one with \`openssl rand -base64 32\``,
    );
  }
  return { key, id: masterKeyId(key) };
}

/** The key id: 16 hex digits of a domain-separated SHA-256 of the key. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('patchbay master key id\0').update(key).digest('hex').slice(0, 16);
}

/** A fresh master key, base64-encoded (what the key file and PATCHBAY_MASTER_KEY hold). */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

export interface KeyFileResult {
  key: MasterKey;
  /** True when this call created the file. */
  created: boolean;
}

/**
 * Reads the key file, or creates it (mode 0600, directory 0700) when it does not exist. An
 * existing file that group or others may read or write is refused, not silently fixed: someone
 * may already have copied it.
 */
export function loadOrCreateKeyFile(path: string): KeyFileResult {
  const existing = readKeyFile(path);
  if (existing) return { key: existing, created: false };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    // Another process created it between our read and our create: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readKeyFile(path);
      if (raced) return { key: raced, created: false };
    }
    throw error;
  }
  try {
    const text = generateMasterKey();
    writeSync(fd, `${text}\n`);
    if (process.platform !== 'win32') chmodSync(path, 0o600); // whatever the umask did
    return { key: parseMasterKey(text, `key file ${path}`), created: true };
  } finally {
    closeSync(fd);
  }
}

function readKeyFile(path: string): MasterKey | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SecretError(
        'KEY_FILE_PERMISSIONS',
        `master key file ${path} has permissions ${mode.toString(8).padStart(4, '0')}; ` +
          `only its owner may read it. Fix with \`chmod 600 ${path}\` (and rotate the key if others could have read it)`,
      );
    }
    const text = readFileSync(fd, 'utf8');
    try {
      return parseMasterKey(text, `master key file ${path}`);
    } catch (error) {
      throw new SecretError('KEY_FILE_INVALID', (error as Error).message);
    }
  } finally {
    closeSync(fd);
  }
}
