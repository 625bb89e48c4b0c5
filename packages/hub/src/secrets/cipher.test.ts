import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretCipher, secretAad } from './cipher.js';
import { ENVELOPE_VERSION, envelopeKeyId, isEnvelope, parseEnvelope } from './envelope.js';
import { generateMasterKey, parseMasterKey } from './master-key.js';
import { isSecretError, type SecretError } from './secret-errors.js';

const keyA = generateMasterKey();
const keyB = randomBytes(32).toString('hex');
const token = 'ghp_s3cretTokenValue1234567890';

function thrown(fn: () => unknown): SecretError {
  try {
    fn();
  } catch (error) {
    if (isSecretError(error)) return error;
    throw error;
  }
  throw new Error('expected a SecretError');
}

describe('master key', () => {
  it('accepts base64, base64url and hex; ids are stable, short and key-specific', () => {
    const raw = randomBytes(32);
    const a = parseMasterKey(raw.toString('base64'));
    expect(parseMasterKey(raw.toString('base64url')).id).toBe(a.id);
    expect(parseMasterKey(` ${raw.toString('hex')}\n`).id).toBe(a.id);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(parseMasterKey(keyA).id).not.toBe(a.id);
  });

  it('refuses a malformed key at once, naming PATCHBAY_MASTER_KEY and not echoing it', () => {
    for (const bad of ['short', randomBytes(16).toString('base64'), `${keyB}00`, 'x'.repeat(44)]) {
      const error = thrown(() => createSecretCipher({ masterKey: bad }));
      expect(error.code).toBe('MASTER_KEY_INVALID');
      expect(error.message).toContain('PATCHBAY_MASTER_KEY');
      expect(error.message).not.toContain(bad);
    }
  });
});

describe('envelope encryption', () => {
  const cipher = createSecretCipher({ masterKey: keyA });

  it('round-trips, with a fresh data key and IV each time', () => {
    const aad = secretAad('github', 'token');
    const one = cipher.encrypt(token, aad);
    const two = cipher.encrypt(token, aad);
    expect(one).not.toBe(two);
    expect(one).not.toContain(token);
    expect(one.startsWith(`${ENVELOPE_VERSION}.${cipher.keyId}.`)).toBe(true);
    expect(parseEnvelope(one).wrappedKey).not.toEqual(parseEnvelope(two).wrappedKey);
    expect(cipher.decrypt(one, aad)).toBe(token);
    expect(cipher.decrypt(two, aad)).toBe(token);
    expect(isEnvelope(one)).toBe(true);
    expect(isEnvelope(token)).toBe(false);
    expect(envelopeKeyId(one)).toBe(cipher.keyId);
  });

  it('round-trips empty, unicode and long values, with and without AAD', () => {
    for (const value of ['', 'пароль 🔑', 'x'.repeat(100_000)]) {
      expect(cipher.decrypt(cipher.encrypt(value), undefined)).toBe(value);
      expect(cipher.decrypt(cipher.encrypt(value, 'jira/api_token'), 'jira/api_token')).toBe(value);
    }
  });

  it('names both key ids when the envelope was made under another master key', () => {
    const other = createSecretCipher({ masterKey: keyB });
    const envelope = other.encrypt(token, 'github/token');
    const error = thrown(() => cipher.decrypt(envelope, 'github/token'));
    expect(error.code).toBe('KEY_MISMATCH');
    expect(error.message).toBe(
      `secret was encrypted with key ${other.keyId}, the configured master key is ${cipher.keyId}: ` +
        'set PATCHBAY_MASTER_KEY to the old key or run `patchbay secrets rotate`',
    );
    expect(cipher.canDecrypt(envelope)).toBe(false);
  });

  it('decrypts with a previous key, but encrypts only with the current one', () => {
    const old = createSecretCipher({ masterKey: keyB });
    const both = createSecretCipher({ masterKey: keyA, previousKeys: [keyB] });
    expect(both.decrypt(old.encrypt(token, 'a/b'), 'a/b')).toBe(token);
    expect(envelopeKeyId(both.encrypt(token))).toBe(cipher.keyId);
  });

  it('detects tampering with any part of the envelope', () => {
    const envelope = cipher.encrypt(token, 'github/token');
    const segments = envelope.split('.');
    for (let index = 2; index < segments.length; index++) {
      const bytes = Buffer.from(segments[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const copy = [...segments];
      copy[index] = bytes.toString('base64url');
      const error = thrown(() => cipher.decrypt(copy.join('.'), 'github/token'));
      expect(error.code).toBe('AUTHENTICATION_FAILED');
      expect(error.message).not.toContain(token);
    }
  });

  it('refuses a ciphertext moved to another field (AAD)', () => {
    const envelope = cipher.encrypt(token, secretAad('github', 'token'));
    const error = thrown(() => cipher.decrypt(envelope, secretAad('slack', 'bot_token')));
    expect(error.code).toBe('AUTHENTICATION_FAILED');
    expect(error.message).toContain('slack/bot_token');
    expect(() => cipher.decrypt(envelope)).toThrow(/failed authentication/);
  });

  it('refuses a key id swapped in the text even when the key is known', () => {
    const both = createSecretCipher({ masterKey: keyA, previousKeys: [keyB] });
    const other = createSecretCipher({ masterKey: keyB });
    const envelope = both.encrypt(token);
    const swapped = envelope.replace(`.${both.keyId}.`, `.${other.keyId}.`);
    expect(thrown(() => both.decrypt(swapped)).code).toBe('AUTHENTICATION_FAILED');
  });

  it('reports malformed envelopes without quoting them', () => {
    for (const bad of [token, 'pb1.abc', 'pb9.0123456789abcdef.a.b.c.d.e.f', '']) {
      const error = thrown(() => cipher.decrypt(bad));
      expect(error.code).toBe('MALFORMED_ENVELOPE');
      expect(error.message).not.toContain(token);
    }
  });
});

describe('key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchbay-key-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is generated with mode 0600 on first start and reused after', () => {
    const dataDir = join(dir, 'data');
    const first = createSecretCipher({ dataDir });
    const file = join(dataDir, 'master.key');
    expect(first.source).toBe('generated-key-file');
    expect(first.keyFile).toBe(file);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(readFileSync(file, 'utf8')).id).toBe(first.keyId);
    const second = createSecretCipher({ dataDir });
    expect(second.source).toBe('key-file');
    expect(second.keyId).toBe(first.keyId);
    expect(second.decrypt(first.encrypt(token, 'a/b'), 'a/b')).toBe(token);
  });

  it('is not touched when PATCHBAY_MASTER_KEY is set', () => {
    const cipher = createSecretCipher({ masterKey: keyA, dataDir: dir });
    expect(cipher.source).toBe('env');
    expect(cipher.keyFile).toBeUndefined();
    expect(() => statSync(join(dir, 'master.key'))).toThrow();
  });

  it.skipIf(process.platform === 'win32')('with looser permissions is refused, with the fix', () => {
    const file = join(dir, 'master.key');
    writeFileSync(file, `${keyA}\n`, { mode: 0o600 });
    chmodSync(file, 0o644);
    const error = thrown(() => createSecretCipher({ keyFile: file }));
    expect(error.code).toBe('KEY_FILE_PERMISSIONS');
    expect(error.message).toContain('0644');
    expect(error.message).toContain(`chmod 600 ${file}`);
    expect(error.message).not.toContain(keyA);
    chmodSync(file, 0o600);
    expect(createSecretCipher({ keyFile: file }).keyId).toBe(parseMasterKey(keyA).id);
  });

  it('holding garbage is refused, naming the file', () => {
    const file = join(dir, 'master.key');
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    const error = thrown(() => createSecretCipher({ keyFile: file }));
    expect(error.code).toBe('KEY_FILE_INVALID');
    expect(error.message).toContain(file);
  });
});
