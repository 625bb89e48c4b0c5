// Loopback upstream for the benchmarks. Run in a child process (see lib/upstream.ts) so that it
// does not share an event loop with the clients under test. Every path answers 200 with the same
// small JSON body on a keep-alive connection; the port is sent to the parent over IPC (and
// printed, so the file can also be run by hand: `npx tsx bench/upstream-server.ts`).
// With BENCH_UPSTREAM_RECORD=1 it also records when each request arrived (Date.now(), epoch ms)
// and hands the list over (and forgets it) when the parent sends `{ type: 'take-arrivals' }`.
import { createServer } from 'node:http';

const payload = {
  id: 42,
  name: 'patchbay-bench',
  ok: true,
  tags: ['small', 'json'],
  ts: '2024-01-01T00:00:00.000Z',
  n: 3.14,
};
const body = Buffer.from(JSON.stringify(payload));
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(body.length),
};

const recording = process.env.BENCH_UPSTREAM_RECORD === '1';
let arrivals: number[] = [];

const server = createServer({ keepAlive: true, keepAliveTimeout: 120_000 }, (req, res) => {
  if (recording) arrivals.push(Date.now());
  // Drain any request body before answering so the connection stays reusable.
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (process.send) process.send({ type: 'listening', port, bodyBytes: body.length });
  else console.log(`upstream listening on http://127.0.0.1:${port} (${body.length}-byte JSON body)`);
});

process.on('message', (msg: unknown) => {
  if ((msg as { type?: unknown } | null)?.type !== 'take-arrivals') return;
  const taken = arrivals;
  arrivals = [];
  process.send?.({ type: 'arrivals', times: taken });
});

// Exit at once: clients may still hold idle keep-alive connections, which would delay close().
const stop = () => process.exit(0);
process.on('disconnect', stop); // the parent went away
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
