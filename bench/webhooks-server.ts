// The webhook receiver under test in the webhooks bench, in its own process (see webhooks.bench.ts):
// the hub's storage, auth hooks and webhook runtime (packages/hub/src/webhooks, registered as the hub
// registers it), one GitHub source, the processing and delivery workers running. Storage: SQLite in
// BENCH_DATA_DIR, or PostgreSQL when BENCH_DATABASE_URL and BENCH_PG_SCHEMA are set.
// Asks over IPC: { type: 'counts' } -> { stored, processed } (deliveries in storage).
import { startWebhookHub } from '../packages/hub/src/webhooks/fixtures/webhook-hub.ts';
import {
  answerParent,
  exitOnParentSignal,
  reportListening,
  reportStartFailure,
} from './lib/server-process.ts';

try {
  const secret = process.env.BENCH_GITHUB_SECRET;
  if (!secret) throw new Error('BENCH_GITHUB_SECRET must be set');
  const url = process.env.BENCH_DATABASE_URL;
  const storage = url
    ? { url, schema: process.env.BENCH_PG_SCHEMA ?? 'bench_webhooks', poolSize: 10 }
    : { dataDir: process.env.BENCH_DATA_DIR ?? '' };
  const hub = await startWebhookHub({
    storage,
    webhooks: { sources: { github: { verify: 'github', secrets: [secret] } } },
    // Production timings, not the test fixture's fast polls.
    timings: { pollMs: 250, refreshMs: 5000, feedPollMs: 500 },
  });
  exitOnParentSignal(() => hub.close());
  answerParent(async (type) => {
    if (type !== 'counts') throw new Error(`unknown request ${type}`);
    const counts = await hub.repositories.webhookDeliveries.countByStatus('github');
    return { stored: counts.pending + counts.processed + counts.dead, processed: counts.processed };
  });
  reportListening(Number(new URL(hub.url).port));
} catch (err) {
  reportStartFailure(err);
  process.exit(1);
}
