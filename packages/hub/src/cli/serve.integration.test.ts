import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { generateMasterKey } from '../secrets/index.js';
import { tempDataDir } from './cli.harness.js';

const BIN = fileURLToPath(new URL('../../bin/patchbay.mjs', import.meta.url));

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.remove());

it('patchbay serve runs the hub until SIGTERM, then exits 0', async () => {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: '', PATCHBAY_CONFIG: '' };
  Object.assign(env, { PATCHBAY_DATA_DIR: data.dir, PATCHBAY_MASTER_KEY: generateMasterKey(), PORT: '0' });
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`serve exited early (${code}): ${output}`)));
  });
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 60_000);
