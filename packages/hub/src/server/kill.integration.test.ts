import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from '../storage/index.js';

const TARGET = fileURLToPath(new URL('./fixtures/kill-target.ts', import.meta.url));
const ADMIN = 'admin-token-kill-0123456789abcdef';
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

let up: FakeUpstream;
let dataDir: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  up = await startFakeUpstream();
  up.on('POST', '/items', reply.serverError(503));
  dataDir = await mkdtemp(join(tmpdir(), 'patchbay-kill-'));
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await up.close();
  await rm(dataDir, { recursive: true, force: true });
});

function startHub(): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', TARGET], {
    env: {
      ...process.env,
      PATCHBAY_DATA_DIR: dataDir,
      PATCHBAY_ADMIN_TOKEN: ADMIN,
      PATCHBAY_MASTER_KEY: MASTER_KEY,
      PORT: '0',
      PATCHBAY_LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    proc.on('exit', (code) => reject(new Error(`hub exited early (${code})`)));
  });
}

describe('SIGKILL mid-load', () => {
  it('loses no acknowledged dead letter and no acknowledged configuration write', async () => {
    const url = await startHub();
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const configured = await post('/api/integrations/sink/configure', {
      values: { token: 'sink-token-123456', baseUrl: up.url, label: 'v0' },
    });
    expect(configured.status).toBe(200);

    const ackedLetters: string[] = [];
    let lastAckedLabel = 0;
    let stop = false;
    const writer = async () => {
      for (let n = 0; !stop; n++) {
        try {
          const res = await post('/api/integrations/sink/operations/create', { n });
          const body = (await res.json()) as { error?: { deadLetterId?: string } };
          if (res.status === 503 && body.error?.deadLetterId) ackedLetters.push(body.error.deadLetterId);
        } catch {
          return; // the hub is gone
        }
      }
    };
    const configurer = async () => {
      for (let n = 1; !stop; n++) {
        try {
          const res = await post('/api/integrations/sink/configure', { values: { label: `v${n}` } });
          if (res.status === 200) lastAckedLabel = n;
        } catch {
          return;
        }
      }
    };
    const load = Promise.all([writer(), writer(), writer(), configurer()]);
    await expect.poll(() => ackedLetters.length, { timeout: 15_000 }).toBeGreaterThan(30);
    await expect.poll(() => lastAckedLabel, { timeout: 15_000 }).toBeGreaterThan(5);
    child?.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    stop = true;
    await load;

    const db = await openDatabase({ dataDir });
    try {
      const repos = createRepositories(db);
      for (const id of ackedLetters) {
        expect(await repos.deadLetters.get(id), `dead letter ${id}`).toBeDefined();
      }
      const stored = await repos.configs.get('sink');
      const label = Number(
        String((stored?.values as { label?: string } | undefined)?.label ?? 'v-1').slice(1),
      );
      expect(label).toBeGreaterThanOrEqual(lastAckedLabel);
    } finally {
      await db.close();
    }
  });
});
