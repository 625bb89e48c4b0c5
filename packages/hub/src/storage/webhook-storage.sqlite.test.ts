import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookStorageContract } from './webhook-storage.contract.js';

const dirs: string[] = [];

webhookStorageContract('SQLite', {
  async fresh() {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-webhook-storage-'));
    dirs.push(dataDir);
    return { dataDir };
  },
  concurrentHandles: false,
  async dispose() {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  },
});
