import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { HubConfig } from '../config/index.js';
import {
  createSecretCipher,
  envelopeKeyId,
  generateMasterKey,
  parseMasterKey,
  RotationError,
  rotate,
  type SecretCipher,
  secretAad,
} from '../secrets/index.js';
import type { Repositories, SecretRewrap } from '../storage/index.js';
import { commandConfig, withRepositories } from './context.js';
import { CliError, UsageError } from './errors.js';

interface RotateOptions {
  newKey?: string;
  generate?: boolean;
}

/** Where the master key lives when PATCHBAY_MASTER_KEY is unset (as createSecretCipher has it). */
export function defaultKeyFile(config: HubConfig): string {
  return resolve(join(config.dataDir, 'master.key'));
}

/** The cipher under the current key, without creating a key file where there is none. */
function currentCipher(config: HubConfig): SecretCipher {
  if (config.masterKey) return createSecretCipher({ masterKey: config.masterKey });
  const keyFile = defaultKeyFile(config);
  if (!existsSync(keyFile)) {
    throw new CliError(
      `no current master key: PATCHBAY_MASTER_KEY is unset and ${keyFile} does not exist (nothing to rotate from)`,
    );
  }
  return createSecretCipher({ keyFile });
}

/**
 * Re-encrypts every stored secret not yet under `to`, all in one transaction (nothing is written
 * unless every secret decrypts). Returns how many rows were replaced and how many were found.
 */
async function rewrapSecrets(
  repos: Repositories,
  from: SecretCipher,
  to: SecretCipher,
): Promise<{ found: number; replaced: number }> {
  const records = await repos.secrets.allForRotation(to.keyId);
  const updates: SecretRewrap[] = records.map((record) => {
    const id = `${record.integration}/${record.field}`;
    let ciphertext: string;
    try {
      ciphertext = rotate(record.ciphertext, from, to, secretAad(record.integration, record.field));
    } catch (error) {
      throw new RotationError(id, error);
    }
    return {
      integration: record.integration,
      field: record.field,
      fromKeyId: record.keyId,
      ciphertext,
      keyId: to.keyId,
    };
  });
  return { found: records.length, replaced: await repos.secrets.rewrap(updates) };
}

/** Dead letters (not yet replayed) whose encrypted input is not under `keyId`. */
async function deadLettersNotUnder(repos: Repositories, keyId: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await repos.deadLetters.list({ ...(cursor ? { cursor } : {}), limit: 1000 });
    for (const entry of page.rows) {
      if (entry.status === 'replayed') continue;
      try {
        if (envelopeKeyId(entry.inputCiphertext) !== keyId) count++;
      } catch {
        count++;
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return count;
}

/**
 * Replaces the key file with the new key (0600, written to a temporary file and renamed over),
 * keeping the old key next to it as `master.key.<old key id>.old` (0600). Returns that path.
 */
function replaceKeyFile(keyFile: string, oldKeyId: string, newKey: string): string {
  const backup = `${keyFile}.${oldKeyId}.old`;
  if (!existsSync(backup)) {
    writeFileSync(backup, readFileSync(keyFile), { mode: 0o600, flag: 'wx' });
  }
  const temporary = `${keyFile}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${newKey}\n`, { mode: 0o600, flag: 'wx' });
    if (process.platform !== 'win32') chmodSync(temporary, 0o600);
    renameSync(temporary, keyFile);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return backup;
}

export function registerSecrets(program: Command): void {
  const secrets = program.command('secrets').description('Stored (encrypted) secrets');

  secrets
    .command('rotate')
    .description(
      'Re-encrypt every stored secret from the current master key (PATCHBAY_MASTER_KEY or the key file) to a new one',
    )
    .option('--new-key <key>', 'the new master key: 32 bytes as base64 or 64 hex digits')
    .option('--generate', 'generate the new key (printed once)')
    .action(async (options: RotateOptions, command: Command) => {
      if ((options.newKey === undefined) === (options.generate !== true)) {
        throw new UsageError('give exactly one of --new-key <key> or --generate');
      }
      const generated = options.generate === true;
      const newKeyText = generated ? generateMasterKey() : (options.newKey ?? '');
      let newKey: ReturnType<typeof parseMasterKey>;
      try {
        newKey = parseMasterKey(newKeyText, '--new-key');
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const config = await commandConfig(command);
      const from = currentCipher(config);
      if (newKey.id === from.keyId) throw new UsageError('the new key is the current master key');
      const to = createSecretCipher({ masterKey: newKeyText });

      const { found, replaced, staleDeadLetters } = await withRepositories(config, async (repos) => {
        const result = await rewrapSecrets(repos, from, to);
        return { ...result, staleDeadLetters: await deadLettersNotUnder(repos, to.keyId) };
      });

      const out: string[] = [
        `Re-encrypted ${replaced} secret${replaced === 1 ? '' : 's'} under key ${to.keyId} (was ${from.keyId}).`,
      ];
      if (replaced < found) {
        out.push(
          `${found - replaced} secret(s) were written by someone else meanwhile and left alone: run the rotation again.`,
        );
      }
      if (staleDeadLetters > 0) {
        out.push(
          `Dead-letter inputs are not re-encrypted (the dead-letter store cannot rewrap yet): ` +
            `${staleDeadLetters} entr${staleDeadLetters === 1 ? 'y stays' : 'ies stay'} under the old key; keep it until they are replayed or deleted.`,
        );
      }
      if (from.source === 'env') {
        out.push('Now set PATCHBAY_MASTER_KEY to the new key and restart every hub on this database.');
      } else {
        const keyFile = from.keyFile ?? defaultKeyFile(config);
        const backup = replaceKeyFile(keyFile, from.keyId, newKeyText);
        out.push(
          `Wrote the new key to ${keyFile} (0600); the old key is kept in ${backup}. ` +
            'Restart every hub on this database (or set PATCHBAY_MASTER_KEY to the new key where the key file is not shared).',
        );
      }
      if (generated) out.push('', 'The new master key (shown this once):', '', `  ${newKeyText}`, '');
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
