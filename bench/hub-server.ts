// The hub under test in the hub bench, run in its own process (see hub.bench.ts) the way
// `npm start` runs it (node with the tsx loader): `createHub` on SQLite in BENCH_HUB_DATA_DIR, log
// level warn (BENCH_HUB_LOG_LEVEL; its log goes to the bench's stderr), the admin token from PATCHBAY_ADMIN_TOKEN, the audit log on, and one integration,
// `bench`, whose read operation `small` does `ctx.http.get('/small')` with the default policies.
// The parent configures the integration through the REST API, then asks over IPC:
//   { type: 'audit' } -> flushes the audit log and answers with the writer's stats and the result of
//                        verifying the hash chain.
// BENCH_HUB_MODULE: another build of the hub to load instead of packages/hub/src/index.ts (a path),
// for A/B runs; see BENCH_HUB_COMPARE in hub.bench.ts.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineIntegration, defineOperation, secret } from '@patchbay/core';
import { z } from 'zod';
import {
  answerParent,
  exitOnParentSignal,
  reportListening,
  reportStartFailure,
} from './lib/server-process.ts';

const UPSTREAM_PATH = '/small';

const benchIntegration = defineIntegration({
  name: 'bench',
  description: 'Loopback upstream for the hub bench',
  config: z.object({ baseUrl: z.string().url(), token: secret() }),
  operations: {
    small: defineOperation({
      description: 'GET /small from the bench upstream',
      kind: 'read',
      input: z.object({}),
      run: (ctx) => ctx.http.get(UPSTREAM_PATH),
    }),
  },
});

type HubModule = typeof import('../packages/hub/src/index.ts');

try {
  const moduleUrl = process.env.BENCH_HUB_MODULE
    ? pathToFileURL(resolve(process.env.BENCH_HUB_MODULE)).href
    : new URL('../packages/hub/src/index.ts', import.meta.url).href;
  const { createHub, loadHubConfig } = (await import(moduleUrl)) as HubModule;
  const dataDir = process.env.BENCH_HUB_DATA_DIR;
  const adminToken = process.env.PATCHBAY_ADMIN_TOKEN;
  if (!dataDir || !adminToken) throw new Error('BENCH_HUB_DATA_DIR and PATCHBAY_ADMIN_TOKEN must be set');
  const config = await loadHubConfig({
    cwd: dataDir,
    env: {
      PATCHBAY_DATA_DIR: dataDir,
      PATCHBAY_ADMIN_TOKEN: adminToken,
      PATCHBAY_MASTER_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      PATCHBAY_LOG_LEVEL: process.env.BENCH_HUB_LOG_LEVEL || 'warn',
    },
  });
  const hub = await createHub({ config, integrations: [benchIntegration], egress: { allow: ['127.0.0.1'] } });
  exitOnParentSignal(() => hub.close());
  const base = await hub.start();
  answerParent(async (type) => {
    if (type !== 'audit') throw new Error(`unknown request ${type}`);
    await hub.audit.flush();
    return { stats: hub.audit.stats, chain: await hub.repositories.audit.verifyChain() };
  });
  reportListening(Number(new URL(base).port));
} catch (err) {
  reportStartFailure(err);
  process.exit(1);
}
