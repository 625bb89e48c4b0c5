// The hub's access log: one line per request at info, the incoming line only at debug.
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HubLogController } from './request-log.js';

type Line = Record<string, unknown> & { msg?: string; level?: number; reqId?: string };

async function serve(level: 'info' | 'debug') {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, logController: new HubLogController() });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('kaput');
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base, lines };
}

describe('HubLogController', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('writes one access line per request at info, with method, url, status and time', async () => {
    const served = await serve('info');
    app = served.app;
    const res = await fetch(`${served.base}/ok?x=1`, { headers: { authorization: 'Bearer secret-token' } });
    expect(res.status).toBe(200);
    await res.text();
    await app.close();
    app = undefined;
    const perRequest = served.lines.filter((l) => l.reqId !== undefined);
    expect(perRequest).toHaveLength(1);
    expect(perRequest[0]).toMatchObject({
      msg: 'request completed',
      level: 30,
      req: { method: 'GET', url: '/ok?x=1' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(served.lines)).not.toContain('secret-token');
  });

  it('adds the incoming line at debug; a failure keeps its error line beside the access line', async () => {
    const served = await serve('debug');
    app = served.app;
    await (await fetch(`${served.base}/ok`)).text();
    const perRequest = () => served.lines.filter((l) => l.reqId !== undefined).map((l) => [l.msg, l.level]);
    expect(perRequest()).toEqual([
      ['incoming request', 20],
      ['request completed', 30],
    ]);
    served.lines.length = 0;
    expect((await fetch(`${served.base}/boom`)).status).toBe(500);
    expect(perRequest()).toEqual([
      ['incoming request', 20],
      ['kaput', 50], // the error handler's line
      ['request completed', 30],
    ]);
    expect(served.lines.find((l) => l.msg === 'request completed')).toMatchObject({
      req: { method: 'GET', url: '/boom' },
      res: { statusCode: 500 },
    });
  });
});
