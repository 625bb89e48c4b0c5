// The webhooks bench's baseline, in its own process: a bare Fastify app whose POST route answers
// 200 `{"received":true}` and does nothing else (no verification, no storage, no logger).
import Fastify from 'fastify';
import {
  answerParent,
  exitOnParentSignal,
  reportListening,
  reportStartFailure,
} from './lib/server-process.ts';

try {
  const app = Fastify({ logger: false });
  app.post('/hook', async () => ({ received: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  exitOnParentSignal(() => app.close());
  answerParent();
  const address = app.server.address();
  reportListening(typeof address === 'object' && address ? address.port : 0);
} catch (err) {
  reportStartFailure(err);
  process.exit(1);
}
