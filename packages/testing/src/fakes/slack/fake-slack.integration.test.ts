import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { SEED_IDS as ID } from './seed.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack({ pageSize: 2 });
});
afterEach(async () => {
  await slack.close();
});

const bearer = () => ({ authorization: `Bearer ${slack.token}` });

async function call(
  method: string,
  init: RequestInit = {},
  query = '',
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${slack.apiUrl}/${method}${query}`, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('fake Slack: authentication as Slack answers it (HTTP 200)', () => {
  it('not_authed without a token, invalid_auth with a wrong one, ok with the bot token', async () => {
    expect(await call('auth.test')).toMatchObject({ status: 200, body: { ok: false, error: 'not_authed' } });
    expect(await call('auth.test', { headers: { authorization: 'Bearer xoxb-wrong' } })).toMatchObject({
      status: 200,
      body: { ok: false, error: 'invalid_auth' },
    });
    const ok = await call('auth.test', { headers: bearer() });
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(ok.body).toEqual({
      ok: true,
      url: 'https://patchbay.slack.com/',
      team: 'Patchbay',
      user: 'patchbay',
      team_id: ID.team,
      user_id: ID.bot,
      bot_id: ID.botId,
      is_enterprise_install: false,
    });
  });

  it('accepts the token in a form body, as Slack does for form posts', async () => {
    const form = new URLSearchParams({ token: slack.token, channel: ID.general, text: 'from a form' });
    const res = await call('chat.postMessage', { method: 'POST', body: form });
    expect(res.body).toMatchObject({ ok: true, channel: ID.general, message: { text: 'from a form' } });
  });
});

describe('fake Slack: arguments', () => {
  it('reads JSON bodies only for methods that accept JSON, and warns when the charset is missing', async () => {
    const json = (body: unknown, type = 'application/json') => ({
      method: 'POST',
      headers: { ...bearer(), 'content-type': type },
      body: JSON.stringify(body),
    });
    const posted = await call('chat.postMessage', json({ channel: ID.general, text: 'hi' }));
    expect(posted.body).toMatchObject({
      ok: true,
      response_metadata: { warnings: ['missing_charset'], messages: [expect.stringContaining('charset')] },
    });
    const clean = await call(
      'chat.postMessage',
      json({ channel: ID.general, text: 'hi' }, 'application/json; charset=utf-8'),
    );
    expect(clean.body).not.toHaveProperty('response_metadata');
    // users.lookupByEmail takes no JSON: the email in the body goes unread.
    const lookup = await call(
      'users.lookupByEmail',
      json({ email: 'alice@example.com' }, 'application/json; charset=utf-8'),
    );
    expect(lookup.body).toEqual({ ok: false, error: 'users_not_found' });
    const byQuery = await call('users.lookupByEmail', { headers: bearer() }, '?email=alice@example.com');
    expect(byQuery.body).toMatchObject({
      ok: true,
      user: { id: ID.alice, profile: { email: 'alice@example.com' } },
    });
  });

  it('pages with limit and an opaque cursor, and refuses a cursor it did not issue', async () => {
    const first = await call('users.list', { headers: bearer() }, '?limit=10');
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    expect((first.body.members as unknown[]).length).toBe(2);
    expect(cursor).not.toBe('');
    const last = await call(
      'users.list',
      { headers: bearer() },
      `?limit=10&cursor=${encodeURIComponent(cursor)}`,
    );
    expect((last.body.members as unknown[]).length).toBe(2);
    expect(await call('users.list', { headers: bearer() }, '?cursor=bm9wZQ==')).toMatchObject({
      body: { ok: false, error: 'invalid_cursor' },
    });
    expect(await call('users.list', { headers: bearer() }, '?limit=0')).toMatchObject({
      body: { ok: false, error: 'invalid_limit' },
    });
  });

  it('answers an unknown method with unknown_method', async () => {
    expect(await call('chat.nope', { headers: bearer() })).toMatchObject({
      status: 404,
      body: { ok: false, error: 'unknown_method', req_method: 'chat.nope' },
    });
  });
});

describe('fake Slack: fault switches', () => {
  it('rateLimit answers 429 with Retry-After for the named method only, as often as asked', async () => {
    slack.rateLimit(7, { method: 'users.info', times: 2 });
    expect((await call('auth.test', { headers: bearer() })).body.ok).toBe(true);
    for (let i = 0; i < 2; i++) {
      const limited = await call('users.info', { headers: bearer() }, `?user=${ID.bob}`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    }
    expect((await call('users.info', { headers: bearer() }, `?user=${ID.bob}`)).body.ok).toBe(true);
  });

  it('failNext answers ok:false with the error (and scopes), then works again; exchanges keep both', async () => {
    slack.failNext('missing_scope', { needed: 'users:read.email', provided: 'users:read' });
    const failed = await call('users.info', { headers: bearer() }, `?user=${ID.bob}`);
    expect(failed).toMatchObject({
      status: 200,
      body: { ok: false, error: 'missing_scope', needed: 'users:read.email', provided: 'users:read' },
    });
    expect((await call('users.info', { headers: bearer() }, `?user=${ID.bob}`)).body.ok).toBe(true);
    expect(slack.exchanges.map((x) => [x.request.path, x.response.body])).toEqual([
      ['/api/users.info', failed.body],
      ['/api/users.info', expect.objectContaining({ ok: true })],
    ]);
  });
});

describe('fake Slack: workspace rules', () => {
  it('the bot posts only where it is a member, never to archived channels; DMs open once', async () => {
    const post = (channel: string) =>
      call('chat.postMessage', {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel, text: 'x' }),
      });
    expect((await post(ID.random)).body).toEqual({ ok: false, error: 'not_in_channel' });
    expect((await post(ID.archived)).body).toEqual({ ok: false, error: 'is_archived' });
    expect((await post('C0NOWHERE9')).body).toEqual({ ok: false, error: 'channel_not_found' });
    const open = (users: string) =>
      call('conversations.open', {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ users }),
      });
    const first = await open(ID.carol);
    expect(first.body).toEqual({ ok: true, channel: { id: slack.dmWith(ID.carol) } });
    expect((await open(ID.carol)).body).toEqual({
      ok: true,
      no_op: true,
      already_open: true,
      channel: { id: slack.dmWith(ID.carol) },
    });
    expect((await post(slack.dmWith(ID.carol)!)).body.ok).toBe(true);
  });
});
