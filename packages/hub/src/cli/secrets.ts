import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { HubConfig } from '../config/index.js';
import {
  createSecretCipher,
  dlqAad,
  generateMasterKey,
  parseMasterKey,
  RotationError,
  rotate,
  type SecretCipher,
  secretAad,
} from '../secrets/index.js';
import type { DeadLetterRewrap, Repositories, SecretRewrap } from '../storage/index.js';
import { commandConfig, withRepositories } from './context.js';
import { CliError, UsageError } from './errors.js';
import { progressBar } from './progress.js';

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

/**
 * Re-encrypts every dead letter's sealed input not yet under `to`, a page per transaction (a
 * queue of many thousands must not hold one transaction open). Run again after an interruption:
 * entries already under `to` are skipped.
 */
async function rewrapDeadLetters(
  repos: Repositories,
  from: SecretCipher,
  to: SecretCipher,
): Promise<{ found: number; replaced: number }> {
  const progress = progressBar('Dead letters', await repos.deadLetters.count());
  let found = 0;
  let replaced = 0;
  try {
    for await (const page of repos.deadLetters.inputs()) {
      const updates: DeadLetterRewrap[] = [];
      for (const entry of page) {
        let ciphertext: string;
        try {
          ciphertext = rotate(entry.inputCiphertext, from, to, dlqAad(entry.id));
        } catch (error) {
          throw new RotationError(`dead letter ${entry.id}`, error);
        }
        if (ciphertext === entry.inputCiphertext) continue;
        found++;
        updates.push({ id: entry.id, fromCiphertext: entry.inputCiphertext, ciphertext });
      }
      replaced += await repos.deadLetters.rewrapInputs(updates);
      progress.tick(page.length);
    }
  } finally {
    progress.stop();
  }
  return { found, replaced };
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

      const { found, replaced, letters } = await withRepositories(config, async (repos) => {
        const result = await rewrapSecrets(repos, from, to);
        return { ...result, letters: await rewrapDeadLetters(repos, from, to) };
      });

      const out: string[] = [
        `Re-encrypted ${replaced} secret${replaced === 1 ? '' : 's'} under key ${to.keyId} (was ${from.keyId}).`,
      ];
      if (replaced < found) {
        out.push(
          `${found - replaced} secret(s) were written by someone else meanwhile and left alone: run the rotation again.`,
        );
      }
      out.push(
        `Re-encrypted ${letters.replaced} dead-letter input${letters.replaced === 1 ? '' : 's'} under key ${to.keyId}.`,
      );
      if (letters.replaced < letters.found) {
        out.push(
          `${letters.found - letters.replaced} dead letter(s) changed meanwhile and were left alone: run the rotation again.`,
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
