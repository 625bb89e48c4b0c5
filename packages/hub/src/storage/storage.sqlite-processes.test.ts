import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { createRepositories } from './repositories.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./audit-append.child.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const dirs: string[] = [];

describe('SQLite shared by several processes', () => {
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('keeps one hash chain when two processes append to one file at once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-storage-procs-'));
    dirs.push(dataDir);
    // Migrate first, so the children do not race to create the schema.
    await (await openDatabase({ dataDir })).close();
    await Promise.all(
      ['a', 'b'].map((tag) =>
        run(process.execPath, ['--import', tsx, child, dataDir, '300', tag], { timeout: 30_000 }),
      ),
    );
    const hub = await openDatabase({ dataDir });
    try {
      const { audit } = createRepositories(hub);
      expect(await audit.verifyChain()).toMatchObject({ ok: true, rows: 600 });
      expect((await audit.query({ operation: 'a', limit: 1000 })).rows).toHaveLength(300);
    } finally {
      await hub.close();
    }
  }, 60_000);
});
