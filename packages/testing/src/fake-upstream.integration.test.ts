import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream.js';
import { reply } from './reply.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

async function status(path: string, init?: RequestInit): Promise<number> {
  const res = await fetch(up.url + path, init);
  await res.arrayBuffer();
  return res.status;
}

describe('startFakeUpstream', () => {
  it('listens on loopback and gives a URL without a trailing slash', () => {
    expect(up.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('routes', () => {
  it('answers a sequence in order, then repeats the last response forever', async () => {
    up.on('GET', '/flaky', reply.serverError(503), reply.rateLimited({ retryAfter: 1 }), reply.json(200, {}));
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await status('/flaky'));
    expect(seen).toEqual([503, 429, 200, 200, 200]);
  });

  it('passes :param values to the request record', async () => {
    up.on('GET', '/repos/:owner/:repo', (req) =>
      reply.json(200, { full_name: `${req.params.owner}/${req.params.repo}` }),
    );
    const res = await fetch(`${up.url}/repos/acme/api?per_page=1`);
    expect(await res.json()).toEqual({ full_name: 'acme/api' });
    expect(up.requests[0]?.params).toEqual({ owner: 'acme', repo: 'api' });
  });

  it('answers 404 JSON for an unmatched request', async () => {
    up.on('GET', '/known', reply.status(204));
    const res = await fetch(`${up.url}/unknown?x=1`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'no fake route for DELETE /unknown' });
    expect(up.requests).toHaveLength(1);
  });

  it('matches methods without regard to case, and any method with *', async () => {
    up.on('post', '/items', reply.status(201)).on('*', '/any', reply.status(202));
    expect(await status('/items', { method: 'POST' })).toBe(201);
    expect(await status('/items')).toBe(404);
    expect(await status('/any', { method: 'PUT' })).toBe(202);
    expect(await status('/any')).toBe(202);
  });

  it('replaces a route registered again for the same method and path, restarting its sequence', async () => {
    up.on('GET', '/x', reply.status(500), reply.status(200));
    expect(await status('/x')).toBe(500);
    up.on('GET', '/x', reply.status(418), reply.status(204));
    expect(await status('/x')).toBe(418);
    expect(await status('/x')).toBe(204);
  });

  it('lets the newest matching route win, so a later catch-all simulates an outage', async () => {
    up.on('*', '*', reply.status(500)).on('GET', '/user', reply.json(200, {}));
    expect(await status('/user')).toBe(200);
    expect(await status('/other')).toBe(500);
    up.on('*', '/*', reply.serverError(503));
    expect(await status('/user')).toBe(503);
  });

  it('awaits async responders and answers 500 when one throws', async () => {
    up.on('POST', '/echo', async (req) => reply.json(201, { got: req.json() }));
    up.on('GET', '/boom', () => {
      throw new Error('kaput');
    });
    const res = await fetch(`${up.url}/echo`, { method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ got: { a: 1 } });
    const boom = await fetch(`${up.url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ message: 'fake route for GET /boom threw: kaput' });
  });

  it('sends status, headers and raw bodies as scripted', async () => {
    up.on('GET', '/raw', {
      status: 203,
      headers: { 'content-type': 'text/csv', 'x-multi': ['a', 'b'] },
      body: 'a,b\n1,2\n',
    });
    const res = await fetch(`${up.url}/raw`);
    expect(res.status).toBe(203);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(res.headers.get('content-length')).toBe('8');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(await res.text()).toBe('a,b\n1,2\n');
  });

  it('refuses a route without a response', () => {
    // @ts-expect-error at least one response is required
    expect(() => up.on('GET', '/x')).toThrow(TypeError);
  });
});

describe('request recording', () => {
  it('records method, path, query, lower-cased headers and body', async () => {
    up.on('POST', '/repos/:owner/issues', reply.json(201, { number: 7 }));
    const before = Date.now();
    await fetch(`${up.url}/repos/acme/issues?labels=bug&labels=ui&q=a%20b`, {
      method: 'POST',
      headers: { 'X-Request-ID': 'r-1', Authorization: 'Bearer t0ken', 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Bug' }),
    });
    const [req] = up.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/repos/acme/issues',
      url: '/repos/acme/issues?labels=bug&labels=ui&q=a%20b',
      query: { labels: ['bug', 'ui'], q: 'a b' },
      params: { owner: 'acme' },
      text: '{"title":"Bug"}',
    });
    expect(req?.headers['x-request-id']).toBe('r-1');
    expect(req?.headers.authorization).toBe('Bearer t0ken');
    expect(req?.headers['X-Request-ID']).toBeUndefined();
    expect(req?.body).toEqual(Buffer.from('{"title":"Bug"}'));
    expect(req?.json()).toEqual({ title: 'Bug' });
    expect(req?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(req?.receivedAt).toBeLessThanOrEqual(Date.now());
  });

  it('records an empty body for a GET, and json() throws on a non-JSON body', async () => {
    up.on('*', '*', reply.status(204));
    await status('/a');
    await status('/b', { method: 'PUT', body: 'not json' });
    expect(up.requests[0]?.body.length).toBe(0);
    expect(up.requests[0]?.text).toBe('');
    expect(() => up.requests[1]?.json()).toThrow(SyntaxError);
  });

  it('filters requests by exact method and path, in arrival order', async () => {
    up.on('*', '/items/:id', reply.status(200));
    await status('/items/1');
    await status('/items/2');
    await status('/items/1?page=2');
    await status('/items/1', { method: 'DELETE' });
    expect(up.requestsTo('GET', '/items/1').map((r) => r.url)).toEqual(['/items/1', '/items/1?page=2']);
    expect(up.requestsTo('delete', '/items/1')).toHaveLength(1);
    expect(up.requestsTo('GET', '/items/:id')).toHaveLength(0);
    expect(up.requests.map((r) => r.url)).toEqual(['/items/1', '/items/2', '/items/1?page=2', '/items/1']);
  });

  it('forgets routes and requests on reset', async () => {
    up.on('GET', '/x', reply.status(200));
    await status('/x');
    up.reset();
    expect(up.requests).toHaveLength(0);
    expect(await status('/x')).toBe(404);
    expect(up.requests).toHaveLength(1);
  });
});

describe('connections', () => {
  function get(path: string, agent: Agent | false): Promise<number> {
    return new Promise((resolve, reject) => {
      request(up.url + path, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
  }

  it('counts one connection for requests reusing a keep-alive socket', async () => {
    up.on('GET', '/x', reply.json(200, { ok: true }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 5; i++) expect(await get('/x', agent)).toBe(200);
    } finally {
      agent.destroy();
    }
    expect(up.requests).toHaveLength(5);
    expect(up.connections).toBe(1);
  });

  it('counts a connection per request without keep-alive', async () => {
    up.on('GET', '/x', reply.status(200));
    for (let i = 0; i < 3; i++) await get('/x', false);
    expect(up.connections).toBe(3);
  });
});

describe('close', () => {
  it('ends a response that is hanging, and the client sees an error', async () => {
    up.on('GET', '/hang', { delayMs: 600_000, json: {} });
    const pending = fetch(`${up.url}/hang`);
    pending.catch(() => {});
    await waitFor(() => up.requests.length === 1);
    const started = Date.now();
    await up.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(pending).rejects.toThrow(TypeError);
  });

  it('can be called twice, and refuses connections afterwards', async () => {
    await up.close();
    await up.close();
    await expect(fetch(`${up.url}/`)).rejects.toThrow(TypeError);
  });

  it('closes at the end of an `await using` block', async () => {
    let url = '';
    {
      await using scoped = await startFakeUpstream();
      url = scoped.url;
      scoped.on('GET', '/', reply.status(204));
      expect(await (await fetch(url)).status).toBe(204);
    }
    await expect(fetch(url)).rejects.toThrow(TypeError);
  });

  it('does not keep the process alive once closed mid-response', async () => {
    const source = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `
      import { startFakeUpstream } from ${JSON.stringify(source)};
      const up = await startFakeUpstream();
      up.on('GET', '/hang', { delayMs: 600000 }).on('GET', '/slow-body', { bodyDelayMs: 600000, body: 'x' });
      fetch(up.url + '/hang').catch(() => {});
      fetch(up.url + '/slow-body').catch(() => {});
      while (up.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
      await up.close();
      console.log('closed');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(killer);
    expect({ code, signal, out: out.trim() }).toEqual({ code: 0, signal: null, out: 'closed' });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
