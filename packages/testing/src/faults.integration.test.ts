import { get } from 'node:http';
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

/** Reads a body piece by piece, with the time each piece arrived. */
async function readPieces(res: Response): Promise<{ text: string; reads: number; lastAt: number }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  let lastAt = Date.now();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, reads, lastAt };
    text += decoder.decode(value, { stream: true });
    reads++;
    lastAt = Date.now();
  }
}

/** A GET with node:http, collecting the body until it ends or fails. */
function rawGet(url: string): Promise<{ status: number; received: number; error?: string }> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (res) => {
      let received = 0;
      res.on('data', (d: Buffer) => {
        received += d.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, received }));
      res.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ status: res.statusCode ?? 0, received, error: e.code ?? e.message }),
      );
    }).on('error', (e: NodeJS.ErrnoException) =>
      resolve({ status: 0, received: 0, error: e.code ?? e.message }),
    );
  });
}

describe('delays', () => {
  it('waits delayMs before sending the headers', async () => {
    up.on('GET', '/slow', { ...reply.json(200, { ok: true }), delayMs: 300 });
    const started = Date.now();
    const res = await fetch(`${up.url}/slow`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('sends the headers, then waits bodyDelayMs before the body', async () => {
    up.on('GET', '/slow-body', { body: 'done', bodyDelayMs: 300 });
    const started = Date.now();
    const res = await fetch(`${up.url}/slow-body`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('delivers the headers while the body still hangs', async () => {
    up.on('GET', '/stuck-body', { body: 'never', bodyDelayMs: 600_000 });
    const res = await fetch(`${up.url}/stuck-body`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('5');
    const body = res.text();
    body.catch(() => {});
    await up.close();
    await expect(body).rejects.toThrow();
  });
});

describe('streaming bodies', () => {
  it('sends chunks with a pause between them', async () => {
    up.on('GET', '/events', { chunks: { count: 5, intervalMs: 100, chunk: 'tick\n' } });
    const started = Date.now();
    const res = await fetch(`${up.url}/events`);
    expect(res.headers.get('content-length')).toBe('25');
    const { text, reads, lastAt } = await readPieces(res);
    expect(text).toBe('tick\n'.repeat(5));
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(lastAt - started).toBeGreaterThanOrEqual(4 * 100 - 20);
  });

  it("uses 'x' as the default chunk", async () => {
    up.on('GET', '/dots', { chunks: { count: 3, intervalMs: 1 } });
    expect(await (await fetch(`${up.url}/dots`)).text()).toBe('xxx');
  });

  it('streams exactly `bytes` bytes with a content-length', async () => {
    const size = 50 * 1024 * 1024;
    up.on('GET', '/big', { bytes: size });
    const res = await fetch(`${up.url}/big`);
    expect(res.headers.get('content-length')).toBe(String(size));
    let total = 0;
    for await (const piece of res.body!) total += piece.length;
    expect(total).toBe(size);
  });

  it('streams a body far larger than memory, so it is never built in full', async () => {
    const size = 2 ** 40; // 1 TiB: building it would throw or exhaust memory
    up.on('GET', '/huge', { bytes: size });
    const res = await fetch(`${up.url}/huge`);
    expect(res.headers.get('content-length')).toBe(String(size));
    const reader = res.body!.getReader();
    let total = 0;
    while (total < 4 * 1024 * 1024) {
      const { value } = await reader.read();
      total += value!.length;
    }
    await reader.cancel();
    expect(total).toBeGreaterThanOrEqual(4 * 1024 * 1024);
  });

  it('sends a chunked body without content-length when asked', async () => {
    up.on('GET', '/chunked', { json: { a: 1 }, omitContentLength: true });
    up.on('GET', '/chunked-bytes', { bytes: 100_000, omitContentLength: true });
    const res = await fetch(`${up.url}/chunked`);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(await res.json()).toEqual({ a: 1 });
    const bytes = await rawGet(`${up.url}/chunked-bytes`);
    expect(bytes).toEqual({ status: 200, received: 100_000 });
  });
});

describe('dropped connections', () => {
  it('resets before the headers: the request fails', async () => {
    up.on('GET', '/reset', { drop: 'before-headers' }, reply.status(200));
    const error = await fetch(`${up.url}/reset`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as Error).cause as { code?: string }).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(await rawGet(`${up.url}/reset`)).toEqual({ status: 200, received: 0 });
  });

  it('resets after delayMs when both are set', async () => {
    up.on('GET', '/late-reset', { drop: 'before-headers', delayMs: 200 });
    const started = Date.now();
    expect((await rawGet(`${up.url}/late-reset`)).error).toBe('ECONNRESET');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it('resets mid-body: the headers and half the body arrive, then the body fails', async () => {
    up.on('GET', '/cut', { body: 'y'.repeat(1000), drop: 'mid-body' });
    const res = await fetch(`${up.url}/cut`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(await rawGet(`${up.url}/cut`)).toEqual({ status: 200, received: 500, error: 'ECONNRESET' });
  });

  it('cuts a default body mid-way when none is scripted', async () => {
    up.on('GET', '/cut-empty', { status: 200, drop: 'mid-body' });
    expect(await rawGet(`${up.url}/cut-empty`)).toEqual({ status: 200, received: 512, error: 'ECONNRESET' });
  });

  it('cuts a large streamed body mid-way', async () => {
    up.on('GET', '/cut-big', { bytes: 10 * 1024 * 1024, drop: 'mid-body' });
    // Bytes still in the socket buffers when the reset goes out are lost: up to half arrives.
    const cut = await rawGet(`${up.url}/cut-big`);
    expect(cut).toMatchObject({ status: 200, error: 'ECONNRESET' });
    expect(cut.received).toBeGreaterThan(0);
    expect(cut.received).toBeLessThanOrEqual(5 * 1024 * 1024);
  });
});

describe('malformed JSON', () => {
  it('sends a JSON content type with a truncated body', async () => {
    up.on('GET', '/bad', { json: { items: [1, 2, 3], total: 3 }, malformedJson: true });
    const res = await fetch(`${up.url}/bad`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(JSON.stringify({ items: [1, 2, 3], total: 3 }).startsWith(text)).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('sends broken JSON even without a json value, or when half of it would parse', async () => {
    up.on('GET', '/bad', { malformedJson: true }).on('GET', '/num', { json: 1234, malformedJson: true });
    for (const path of ['/bad', '/num']) {
      const res = await fetch(up.url + path);
      await expect(res.json()).rejects.toThrow(SyntaxError);
    }
  });
});
