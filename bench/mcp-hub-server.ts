// The hub under test in the MCP bench, in its own process (see mcp.bench.ts): `createHub` on SQLite in
// BENCH_HUB_DATA_DIR, log level warn, the audit log on, the admin token from PATCHBAY_ADMIN_TOKEN, one
// integration `bench` whose read `small` does `ctx.http.get('/small')` with the default policies, and
// the MCP routes (`/mcp`, sessions on). The same operation is reachable as
// `POST /api/integrations/bench/operations/small` and as the MCP tool `bench_small`.
import { randomBytes } from 'node:crypto';
import { defineIntegration, defineOperation, secret } from '@patchbay/core';
import { z } from 'zod';
import { createHub, loadHubConfig } from '../packages/hub/src/index.ts';
import { exitOnParentSignal, reportListening, reportStartFailure } from './lib/server-process.ts';

const benchIntegration = defineIntegration({
  name: 'bench',
  description: 'Loopback upstream for the MCP bench',
  config: z.object({ baseUrl: z.string().url(), token: secret() }),
  operations: {
    small: defineOperation({
      description: 'GET /small from the bench upstream',
      kind: 'read',
      input: z.object({}),
      run: (ctx) => ctx.http.get('/small'),
    }),
  },
});

try {
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
      PATCHBAY_LOG_LEVEL: 'warn',
    },
  });
  const hub = await createHub({ config, integrations: [benchIntegration], egress: { allow: ['127.0.0.1'] } });
  exitOnParentSignal(() => hub.close());
  const base = await hub.start();
  reportListening(Number(new URL(base).port));
} catch (err) {
  reportStartFailure(err);
  process.exit(1);
}
