import { IntegrationPermanentError } from '@patchbay/core';
import { SLACK_SEED_IDS as ID } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { slackErrorOf } from './errors.js';
import { type SlackUnderTest, slackUnderTest } from './slack-test-kit.js';

let t: SlackUnderTest | undefined;
afterEach(async () => {
  await t?.[Symbol.asyncDispose]();
  t = undefined;
});

const JSON_UTF8 = 'application/json; charset=utf-8';

describe('users', () => {
  it('get_user_info GETs users.info and caches the answer', async () => {
    t = await slackUnderTest();
    const alice = await t.hub.call('get_user_info', { user: ID.alice });
    const [req] = t.fake.calls('users.info');
    expect(req?.method).toBe('GET');
    expect(req?.headers.authorization).toBe(`Bearer ${t.fake.token}`);
    expect(req?.query).toEqual({ user: ID.alice });
    expect(alice).toMatchObject({
      id: ID.alice,
      name: 'alice',
      real_name: 'Alice Smith',
      tz: 'Europe/Kyiv',
      is_bot: false,
      profile: { email: 'alice@example.com', display_name: 'alice' },
    });
    await t.hub.call('get_user_info', { user: ID.alice });
    expect(t.fake.calls('users.info')).toHaveLength(1);
  });

  it('list_users follows the cursor to limit and returns where to continue', async () => {
    t = await slackUnderTest({ pageSize: 2 });
    const first = await t.hub.call('list_users', { limit: 3 });
    expect(t.fake.calls('users.list').map((r) => r.query)).toEqual([
      { limit: '3' },
      { limit: '1', cursor: expect.any(String) },
    ]);
    expect(first.users.map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
    const rest = await t.hub.call('list_users', { cursor: first.next_cursor });
    expect(rest.users.map((u) => [u.name, u.deleted, u.is_bot])).toEqual([
      ['dave', true, false],
      ['patchbay', false, true],
    ]);
    expect(rest).not.toHaveProperty('next_cursor');
  });

  it('lookup_user_by_email GETs users.lookupByEmail; an unknown address is a permanent users_not_found', async () => {
    t = await slackUnderTest();
    const bob = await t.hub.call('lookup_user_by_email', { email: 'Bob@Example.com' });
    expect(t.fake.calls('users.lookupByEmail')[0]?.query).toEqual({ email: 'Bob@Example.com' });
    expect(bob.id).toBe(ID.bob);

    const error = await t.hub.call('lookup_user_by_email', { email: 'nobody@example.com' }).catch((e) => e);
    expect(error).toBeInstanceOf(IntegrationPermanentError);
    expect(slackErrorOf(error)).toEqual({ error: 'users_not_found', method: 'users.lookupByEmail' });
  });

  it('open_dm POSTs conversations.open and is idempotent', async () => {
    t = await slackUnderTest();
    const opened = await t.hub.call('open_dm', { user: ID.carol });
    const [req] = t.fake.calls('conversations.open');
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe(JSON_UTF8);
    expect(req?.json()).toEqual({ users: ID.carol });
    expect(opened).toEqual({ channel: t.fake.dmWith(ID.carol), already_open: false });
    expect(await t.hub.call('open_dm', { user: ID.carol })).toEqual({
      channel: opened.channel,
      already_open: true,
    });
  });
});

describe('notify_user (seed 002: user notifications)', () => {
  it('by email: looks the person up, opens the DM, posts, and returns where the message went', async () => {
    t = await slackUnderTest();
    const sent = await t.hub.call('notify_user', {
      email: 'alice@example.com',
      text: 'Your export is ready',
      unfurl_links: false,
    });

    expect(t.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/users.lookupByEmail',
      'POST /api/conversations.open',
      'POST /api/chat.postMessage',
    ]);
    const dm = t.fake.dmWith(ID.alice);
    expect(dm).toMatch(/^D/);
    expect(t.fake.calls('users.lookupByEmail')[0]?.query).toEqual({ email: 'alice@example.com' });
    expect(t.fake.calls('conversations.open')[0]?.json()).toEqual({ users: ID.alice });
    expect(t.fake.calls('chat.postMessage')[0]?.json()).toEqual({
      channel: dm,
      text: 'Your export is ready',
      unfurl_links: false,
    });
    for (const req of t.fake.requests) expect(req.headers.authorization).toBe(`Bearer ${t.fake.token}`);
    expect(sent).toMatchObject({
      user: ID.alice,
      channel: dm,
      ts: expect.any(String),
      message: { text: 'Your export is ready' },
    });
    expect(t.fake.messages(dm!)).toMatchObject([{ ts: sent.ts, text: 'Your export is ready', user: ID.bot }]);
  });

  it('by user id: skips the lookup and reuses the DM already open', async () => {
    t = await slackUnderTest();
    const blocks = [{ type: 'section', text: { type: 'plain_text', text: 'Build #7 failed' } }];
    const sent = await t.hub.call('notify_user', { user: ID.bob, text: 'Build #7 failed', blocks });
    expect(t.fake.calls('users.lookupByEmail')).toHaveLength(0);
    expect(t.fake.exchanges.find((x) => x.request.path === '/api/conversations.open')?.response.body).toEqual(
      {
        ok: true,
        no_op: true,
        already_open: true,
        channel: { id: ID.bobDm },
      },
    );
    expect(t.fake.calls('chat.postMessage')[0]?.json()).toEqual({
      channel: ID.bobDm,
      text: 'Build #7 failed',
      blocks,
    });
    expect(sent.channel).toBe(ID.bobDm);
    const dm = await t.hub.call('get_channel_history', { channel: ID.bobDm });
    expect(dm.messages.map((m) => m.text)).toEqual(['Build #7 failed', 'Ping me when the deploy is done?']);
  });

  it('needs exactly one of user and email', async () => {
    t = await slackUnderTest();
    await expect(t.hub.call('notify_user', { text: 'hi' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'user', message: 'give exactly one of user and email' }],
    });
    await expect(
      t.hub.call('notify_user', { user: ID.bob, email: 'bob@example.com', text: 'hi' }),
    ).rejects.toMatchObject({ type: 'IntegrationValidationError' });
    expect(t.fake.requests).toHaveLength(0);
  });

  it('stops at the first failing step and names it: a deactivated user cannot get a DM', async () => {
    t = await slackUnderTest();
    const error = await t.hub.call('notify_user', { email: 'dave@example.com', text: 'hi' }).catch((e) => e);
    expect(error).toBeInstanceOf(IntegrationPermanentError);
    expect(error.message).toBe('Slack conversations.open failed: user_disabled');
    expect(error.operation).toBe('notify_user');
    expect(t.fake.calls('chat.postMessage')).toHaveLength(0);
  });
});
