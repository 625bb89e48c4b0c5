// The hub bench's baseline, run in its own process (see hub.bench.ts): a bare Fastify app whose
// `POST /call` does the same upstream request as the hub's operation, `undici.request` on a
// keep-alive Agent, and answers with the parsed JSON. No auth, no policies, no audit, no logger.
// env: BENCH_UPSTREAM_URL (the upstream's `/small`), BENCH_CONCURRENCY (the Agent's connections).
import Fastify from 'fastify';
import { Agent, request } from 'undici';
import { envInt } from './lib/env.ts';
import {
  answerParent,
  exitOnParentSignal,
  reportListening,
  reportStartFailure,
} from './lib/server-process.ts';

try {
  const url = process.env.BENCH_UPSTREAM_URL;
  if (!url) throw new Error('BENCH_UPSTREAM_URL is not set');
  const upstreamAgent = new Agent({ connections: envInt('BENCH_CONCURRENCY', 32) });
  const app = Fastify({ logger: false });
  app.post('/call', async () => {
    const { body } = await request(url, { dispatcher: upstreamAgent });
    return body.json();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  exitOnParentSignal(async () => {
    await app.close();
    await upstreamAgent.close();
  });
  answerParent(); // the CPU time it spent, for the bench's per-request cost
  const address = app.server.address();
  reportListening(typeof address === 'object' && address ? address.port : 0);
} catch (err) {
  reportStartFailure(err);
  process.exit(1);
}
