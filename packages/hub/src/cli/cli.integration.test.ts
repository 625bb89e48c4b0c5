import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSecretCipher,
  dlqAad,
  generateMasterKey,
  SecretKeyMismatchError,
  secretAad,
} from '../secrets/index.js';
import { hashToken } from '../server/index.js';
import { createRepositories, openDatabase, type Repositories } from '../storage/index.js';
import { runPatchbay, tempDataDir } from './cli.harness.js';
import { EXIT_CODE_BY_ERROR_TYPE } from './errors.js';

const TIMEOUT = 90_000;

let data: ReturnType<typeof tempDataDir>;
let masterKey: string;
let env: Record<string, string>;

beforeEach(() => {
  data = tempDataDir();
  masterKey = generateMasterKey();
  env = { PATCHBAY_DATA_DIR: data.dir, PATCHBAY_MASTER_KEY: masterKey };
});
afterEach(() => data.remove());

async function withRepos<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir: data.dir });
  try {
    return await fn(createRepositories(database));
  } finally {
    await database.close();
  }
}

describe('patchbay token', () => {
  it(
    'creates a token printed once, lists it without the token, and revokes it',
    async () => {
      const created = await runPatchbay(
        ['token', 'create', '--name', 'ci', '--scope', 'operator', '--integrations', 'github,jira', '--json'],
        env,
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const body = JSON.parse(created.stdout) as { id: string; token: string; scopes: string[] };
      expect(body.token).toMatch(/^pb_[A-Za-z0-9_-]{43}$/);
      expect(body.scopes).toEqual(['operator']);
      expect(created.stdout).not.toContain('tokenHash');

      const stored = await withRepos((repos) => repos.tokens.findByHash(hashToken(body.token)));
      expect(stored).toMatchObject({
        id: body.id,
        name: 'ci',
        integrations: ['github', 'jira'],
        revokedAt: null,
      });

      const list = await runPatchbay(['token', 'list'], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(body.id);
      expect(list.stdout).toContain('operator');
      expect(list.stdout).not.toContain(body.token);
      expect(list.stdout).not.toContain(hashToken(body.token));

      const revoked = await runPatchbay(['token', 'revoke', body.id], env);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`Revoked token ${body.id}`);
      const after = await withRepos((repos) => repos.tokens.findByHash(hashToken(body.token)));
      expect(after?.revokedAt).toEqual(expect.any(Number));

      const listJson = await runPatchbay(['token', 'list', '--json'], env);
      const rows = JSON.parse(listJson.stdout) as { id: string; revokedAt: number | null }[];
      expect(rows).toEqual([expect.objectContaining({ id: body.id, revokedAt: expect.any(Number) })]);

      const missing = await runPatchbay(['token', 'revoke', 'no-such-id'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim()).toBe('patchbay: no token with id no-such-id');
    },
    TIMEOUT,
  );

  it(
    'honours --data-dir over PATCHBAY_DATA_DIR',
    async () => {
      const other = tempDataDir();
      try {
        const created = await runPatchbay(
          ['--data-dir', other.dir, 'token', 'create', '--name', 'x', '--scope', 'viewer', '--read-only'],
          env,
        );
        expect(created.code).toBe(0);
        expect(created.stdout).toContain('read-only');
        const here = await runPatchbay(['token', 'list', '--json'], env);
        expect(JSON.parse(here.stdout)).toEqual([]);
        const there = await runPatchbay(['token', 'list', '--json', '--data-dir', other.dir], env);
        expect(JSON.parse(there.stdout)).toEqual([expect.objectContaining({ name: 'x', readOnly: true })]);
      } finally {
        other.remove();
      }
    },
    TIMEOUT,
  );
});

describe('patchbay audit verify', () => {
  it(
    'passes on an empty and an intact log, fails with the seq on a tampered one',
    async () => {
      const empty = await runPatchbay(['audit', 'verify'], env);
      expect(empty.code).toBe(0);
      expect(empty.stdout).toContain('intact: 0 rows');

      await withRepos((repos) =>
        repos.audit.append(
          [1, 2, 3].map((i) => ({
            integration: 'github',
            operation: `op${i}`,
            outcome: 'ok',
            durationMs: i,
          })),
        ),
      );
      const intact = await runPatchbay(['audit', 'verify'], env);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toContain('intact: 3 rows');

      const db = new BetterSqlite3(join(data.dir, 'patchbay.db'));
      try {
        db.prepare('update audit_log set outcome = ? where seq = 2').run('error');
      } finally {
        db.close();
      }
      const tampered = await runPatchbay(['audit', 'verify'], env);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toBe('');
      expect(tampered.stderr).toMatch(/^patchbay: audit log verification failed at seq 2 \(hash-mismatch\)/);
      expect(tampered.stderr.trim().split('\n')).toHaveLength(1);
    },
    TIMEOUT,
  );
});

describe('patchbay secrets rotate', () => {
  it(
    're-encrypts stored secrets from key A (env) to key B',
    async () => {
      const keyA = masterKey;
      const keyB = generateMasterKey();
      const cipherA = createSecretCipher({ masterKey: keyA });
      const aad = secretAad('github', 'token');
      const letterId = 'dl-rotate-1';
      await withRepos(async (repos) => {
        await repos.secrets.put('github', 'token', {
          ciphertext: cipherA.encrypt('s3cret', aad),
          keyId: cipherA.keyId,
        });
        await repos.deadLetters.add({
          id: letterId,
          integration: 'github',
          operation: 'create_issue',
          inputCiphertext: cipherA.encrypt('{"title":"kept"}', dlqAad(letterId)),
          error: { type: 'IntegrationTemporaryError' },
          attempts: 3,
        });
      });

      const rotated = await runPatchbay(['secrets', 'rotate', '--new-key', keyB], env);
      expect(rotated.stderr).toBe('');
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toContain('Re-encrypted 1 secret ');
      expect(rotated.stdout).toContain('Re-encrypted 1 dead-letter input ');
      expect(rotated.stdout).toContain('PATCHBAY_MASTER_KEY');
      expect(rotated.stdout).not.toContain(keyB);
      expect(rotated.stdout).not.toContain(keyA);

      const record = await withRepos((repos) => repos.secrets.get('github', 'token'));
      const cipherB = createSecretCipher({ masterKey: keyB });
      expect(record?.keyId).toBe(cipherB.keyId);
      expect(cipherB.decrypt(record?.ciphertext ?? '', aad)).toBe('s3cret');
      expect(() => cipherA.decrypt(record?.ciphertext ?? '', aad)).toThrow(SecretKeyMismatchError);
      // The dead letter's input is readable under the new key only, so it can still be replayed.
      const letter = await withRepos((repos) => repos.deadLetters.get(letterId));
      expect(cipherB.decrypt(letter?.inputCiphertext ?? '', dlqAad(letterId))).toBe('{"title":"kept"}');
      expect(() => cipherA.decrypt(letter?.inputCiphertext ?? '', dlqAad(letterId))).toThrow(
        SecretKeyMismatchError,
      );

      // The old key cannot decrypt what is stored now: rotating from it again fails, naming the secret.
      const again = await runPatchbay(['secrets', 'rotate', '--generate'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^patchbay: cannot re-encrypt secret github\/token/);
      expect(again.stderr).not.toContain(keyA);
    },
    TIMEOUT,
  );

  it(
    'with the default key file, --generate prints the key once and replaces the file (0600)',
    async () => {
      const fileEnv = { PATCHBAY_DATA_DIR: data.dir };
      const cipherA = createSecretCipher({ dataDir: data.dir }); // creates <dataDir>/master.key
      const aad = secretAad('jira', 'password');
      await withRepos((repos) =>
        repos.secrets.put('jira', 'password', {
          ciphertext: cipherA.encrypt('pw', aad),
          keyId: cipherA.keyId,
        }),
      );
      const rotated = await runPatchbay(['secrets', 'rotate', '--generate'], fileEnv);
      expect(rotated.stderr).toBe('');
      expect(rotated.code).toBe(0);
      const printed = /shown this once\):\n\n {2}(\S+)/.exec(rotated.stdout)?.[1];
      expect(printed).toBeDefined();
      const keyFile = join(data.dir, 'master.key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const cipherB = createSecretCipher({ dataDir: data.dir });
      expect(cipherB.keyId).toBe(createSecretCipher({ masterKey: printed }).keyId);
      const record = await withRepos((repos) => repos.secrets.get('jira', 'password'));
      expect(cipherB.decrypt(record?.ciphertext ?? '', aad)).toBe('pw');
      expect(() => cipherA.decrypt(record?.ciphertext ?? '', aad)).toThrow(SecretKeyMismatchError);
      // The old key is kept, owner-only.
      expect(statSync(join(data.dir, `master.key.${cipherA.keyId}.old`)).mode & 0o777).toBe(0o600);
    },
    TIMEOUT,
  );
});

describe('patchbay usage and listings', () => {
  it(
    'exits 2 on bad usage, with one clear line and no stack',
    async () => {
      for (const args of [
        ['frobnicate'],
        ['token', 'create', '--name', 'x', '--scope', 'root'],
        ['token', 'create', '--scope', 'admin'],
        ['secrets', 'rotate'],
        ['secrets', 'rotate', '--new-key', 'short'],
        ['dlq', 'list', '--status', 'lost'],
      ]) {
        const result = await runPatchbay(args, env);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stdout, args.join(' ')).toBe('');
        expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      }
    },
    TIMEOUT,
  );

  it(
    'prints help and exits 0',
    async () => {
      const help = await runPatchbay(['token', 'create', '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('--scope <scope>');
    },
    TIMEOUT,
  );

  it(
    'lists dead letters and the shipped integrations as tables and JSON',
    async () => {
      const cipher = createSecretCipher({ masterKey });
      await withRepos((repos) =>
        repos.deadLetters.add({
          id: 'dl-1',
          integration: 'github',
          operation: 'createIssue',
          inputCiphertext: cipher.encrypt('{"title":"x"}', 'dlq/dl-1'),
          error: { type: 'IntegrationTemporaryError', message: 'upstream 503' },
          attempts: 3,
        }),
      );
      const table = await runPatchbay(['dlq', 'list', '--status', 'pending'], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/dl-1 .*github .*createIssue .*pending .*3 .*IntegrationTemporaryError/);
      const json = await runPatchbay(['dlq', 'list', '--json'], env);
      const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
      expect(rows).toEqual([expect.objectContaining({ id: 'dl-1', status: 'pending' })]);
      expect(rows[0]).not.toHaveProperty('inputCiphertext');
      const replayed = await runPatchbay(['dlq', 'list', '--status', 'replayed', '--json'], env);
      expect(JSON.parse(replayed.stdout)).toEqual([]);

      const integrations = await runPatchbay(['integrations', 'list', '--json'], env);
      expect(integrations.code).toBe(0);
      const listed = JSON.parse(integrations.stdout) as { name: string; operations: string[] }[];
      expect(listed.map((i) => i.name)).toEqual([
        'github',
        'jira',
        'rest',
        'slack',
        'zendesk',
        'transactions',
      ]);
      expect(listed.find((i) => i.name === 'github')?.operations).toContain('search_repositories');
    },
    TIMEOUT,
  );

  it('maps integration error types to exit codes', () => {
    expect(EXIT_CODE_BY_ERROR_TYPE).toMatchObject({
      IntegrationValidationError: 2,
      IntegrationAuthError: 3,
      IntegrationRateLimited: 4,
      IntegrationTemporaryError: 5,
      IntegrationTimeoutError: 5,
      CircuitOpenError: 5,
      IntegrationPermanentError: 6,
    });
  });
});
