// A hub process for bench/bus.bench.ts: the real hub (SQLite in BENCH_BUS_DATA_DIR, shared with
// the other hub process of the same scenario; audit on; log level warn) serving one read
// operation against the loopback upstream, with the command bus on AMQP_URL and the topology in
// BENCH_BUS_TOPOLOGY. Tells the parent `{ type: 'ready' }` once it consumes.
import { defineIntegration, defineOperation, secret } from '@patchbay/core';
import { z } from 'zod';
import { type BusTopology, startCommandBus } from '../packages/hub/src/bus/index.ts';
import { createHub, loadHubConfig } from '../packages/hub/src/index.ts';
import { exitWhenAsked } from './lib/bus-process.ts';

const benchIntegration = defineIntegration({
  name: 'bench',
  description: 'Loopback upstream for the bus bench',
  config: z.object({ baseUrl: z.string().url(), token: secret() }),
  env: { baseUrl: 'BENCH_API_URL', token: 'BENCH_TOKEN' },
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
  const config = await loadHubConfig();
  const hub = await createHub({ config, integrations: [benchIntegration] });
  const bus = await startCommandBus({
    url: config.amqpUrl ?? '',
    invoker: hub.invoker,
    integrations: hub.integrations,
    kv: hub.repositories.kv,
    log: hub.app.log as never,
    topology: JSON.parse(process.env.BENCH_BUS_TOPOLOGY ?? '{}') as Partial<BusTopology>,
    prefetch: Number(process.env.BENCH_BUS_PREFETCH ?? 16),
    startupAttempts: 1,
  });
  exitWhenAsked(async () => {
    await bus.close();
    await hub.close();
  });
  process.send?.({ type: 'ready' });
} catch (err) {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
