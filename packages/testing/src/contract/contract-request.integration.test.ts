import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../fake-upstream.js';
import { reply } from '../reply.js';
import { contractRequestOf } from './contract-request.js';
import { vendorContract } from './vendor-contracts.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
  up.on('POST', '/api/chat.postMessage', reply.json(200, { ok: true }));
  up.on('GET', '/api/conversations.list', reply.json(200, { ok: true, channels: [] }));
});
afterEach(async () => {
  await up.close();
});

describe('contractRequestOf', () => {
  it('parses a JSON body by its content type, keeping method, url and headers', async () => {
    await fetch(`${up.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1H9RESGL', text: 'Deploy finished', unfurl_links: false }),
    });
    const request = contractRequestOf(up.requests[0]!);
    expect(request).toMatchObject({
      method: 'POST',
      url: '/api/chat.postMessage',
      headers: { authorization: 'Bearer xoxb-test' },
      body: { channel: 'C1H9RESGL', text: 'Deploy finished', unfurl_links: false },
    });
    expect(vendorContract('slack').checkRequest(request)).toEqual([]);
  });

  it('parses a form body into an object, a repeated field into an array', async () => {
    await fetch(`${up.url}/api/chat.postMessage`, {
      method: 'POST',
      body: new URLSearchParams([
        ['token', 'xoxb-test'],
        ['channel', 'C1H9RESGL'],
        ['text', 'hi'],
        ['mrkdwn', 'maybe'],
        ['text', 'again'],
      ]),
    });
    const request = contractRequestOf(up.requests[0]!);
    expect(request.body).toEqual({
      token: 'xoxb-test',
      channel: 'C1H9RESGL',
      text: ['hi', 'again'],
      mrkdwn: 'maybe',
    });
    expect(vendorContract('slack').checkRequest(request)).toEqual([
      'POST /chat.postMessage: form parameter "text" is given 2 times but is not a list',
      'POST /chat.postMessage: form parameter "mrkdwn": must be boolean',
    ]);
  });

  it('gives no body for an empty one, and checks the query of what was sent', async () => {
    await fetch(`${up.url}/api/conversations.list?limit=20&types=public_channel`, {
      headers: { authorization: 'Bearer xoxb-test' },
    });
    await fetch(`${up.url}/api/conversations.list?limit=twenty`, {
      headers: { authorization: 'Bearer xoxb-test' },
    });
    const [good, bad] = up.requests.map(contractRequestOf);
    expect(good!.body).toBeUndefined();
    expect(vendorContract('slack').checkRequest(good!)).toEqual([]);
    expect(vendorContract('slack').checkRequest(bad!)).toEqual([
      'GET /conversations.list: query parameter "limit": must be integer',
    ]);
  });

  it('keeps a body of another type as text', async () => {
    await fetch(`${up.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(contractRequestOf(up.requests[0]!).body).toBe('hello');
  });
});
