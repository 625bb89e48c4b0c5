import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageContract } from './storage.contract.js';

const dirs: string[] = [];

storageContract('SQLite', {
  async fresh() {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-storage-'));
    dirs.push(dataDir);
    return { dataDir: join(dataDir, 'nested', 'data') }; // also proves mkdir -p
  },
  concurrentHandles: false,
  async dispose() {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  },
});
