import { describe, expect, it } from 'vitest';
import { createSecretCipher } from './cipher.js';
import { envelopeKeyId } from './envelope.js';
import { generateMasterKey } from './master-key.js';
import { RotationError, reencryptAll, rotate } from './rotate.js';

const oldCipher = createSecretCipher({ masterKey: generateMasterKey() });
const newCipher = createSecretCipher({ masterKey: generateMasterKey() });

describe('rotation', () => {
  it('re-encrypts one envelope under the new key, keeping its AAD', () => {
    const envelope = oldCipher.encrypt('s3cret-value', 'github/token');
    const rotated = rotate(envelope, oldCipher, newCipher, 'github/token');
    expect(envelopeKeyId(rotated)).toBe(newCipher.keyId);
    expect(newCipher.decrypt(rotated, 'github/token')).toBe('s3cret-value');
    expect(() => newCipher.decrypt(rotated, 'jira/api_token')).toThrow(/failed authentication/);
    expect(rotate(rotated, oldCipher, newCipher, 'github/token')).toBe(rotated);
  });

  it('reencryptAll streams an async iterable and skips what is already rotated', async () => {
    const already = newCipher.encrypt('c', 'x/c');
    async function* rows() {
      yield { id: '1', envelope: oldCipher.encrypt('a', 'x/a'), aad: 'x/a' };
      yield { id: '2', envelope: oldCipher.encrypt('b', 'x/b'), aad: 'x/b' };
      yield { id: '3', envelope: already, aad: 'x/c' };
    }
    const out = [];
    for await (const item of reencryptAll(rows(), oldCipher, newCipher)) out.push(item);
    expect(out.map((i) => [i.id, i.changed])).toEqual([
      ['1', true],
      ['2', true],
      ['3', false],
    ]);
    expect(out.map((i) => newCipher.decrypt(i.envelope, `x/${'abc'[Number(i.id) - 1]}`))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('stops on an item it cannot decrypt, naming its id and not its value', async () => {
    const stranger = createSecretCipher({ masterKey: generateMasterKey() });
    const items = [
      { id: 'ok', envelope: oldCipher.encrypt('fine') },
      { id: 'bad-row', envelope: stranger.encrypt('hidden-value') },
    ];
    const seen: string[] = [];
    const run = async () => {
      for await (const item of reencryptAll(items, oldCipher, newCipher)) seen.push(item.id);
    };
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RotationError);
    expect((error as RotationError).id).toBe('bad-row');
    expect((error as RotationError).code).toBe('KEY_MISMATCH');
    expect((error as Error).message).toContain('bad-row');
    expect((error as Error).message).not.toContain('hidden-value');
    expect(seen).toEqual(['ok']);
  });
});
