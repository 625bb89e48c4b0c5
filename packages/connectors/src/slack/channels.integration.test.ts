import { SLACK_SEED_IDS as ID } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackUnderTest, slackUnderTest } from './slack-test-kit.js';

let t: SlackUnderTest | undefined;
afterEach(async () => {
  await t?.[Symbol.asyncDispose]();
  t = undefined;
});

const JSON_UTF8 = 'application/json; charset=utf-8';

describe('list_channels', () => {
  it('GETs conversations.list with types, exclude_archived and limit as query parameters', async () => {
    t = await slackUnderTest();
    const listed = await t.hub.call('list_channels', {});
    const [req] = t.fake.calls('conversations.list');
    expect(req?.method).toBe('GET');
    expect(req?.headers.authorization).toBe(`Bearer ${t.fake.token}`);
    expect(req?.query).toEqual({ types: 'public_channel', exclude_archived: 'true', limit: '100' });
    expect(listed.channels.map((c) => c.name)).toEqual(['general', 'random', 'deploys']);
    expect(listed).not.toHaveProperty('next_cursor');
  });

  it('follows next_cursor across short pages until it has limit channels, then returns the cursor', async () => {
    // Pages of at most 2 (Slack, too, may answer fewer than asked); the archived channel leaves a
    // page one short after filtering, as Slack's own filtering does.
    t = await slackUnderTest({ pageSize: 2 });
    const first = await t.hub.call('list_channels', {
      types: ['public_channel', 'private_channel'],
      exclude_archived: false,
      limit: 3,
    });
    const calls = t.fake.calls('conversations.list').map((r) => r.query);
    expect(calls).toEqual([
      { types: 'public_channel,private_channel', exclude_archived: 'false', limit: '3' },
      {
        types: 'public_channel,private_channel',
        exclude_archived: 'false',
        limit: '1',
        cursor: expect.any(String),
      },
    ]);
    expect(first.channels.map((c) => c.id)).toEqual([ID.general, ID.random, ID.deploys]);
    expect(first.next_cursor).toEqual(expect.any(String));

    const rest = await t.hub.call('list_channels', {
      types: ['public_channel', 'private_channel'],
      exclude_archived: false,
      limit: 10,
      cursor: first.next_cursor,
    });
    expect(t.fake.calls('conversations.list')[2]?.query.cursor).toBe(first.next_cursor);
    // The private channel the bot is not in is never listed; the archived one is, when asked.
    expect(rest.channels.map((c) => c.id)).toEqual([ID.archived]);
    expect(rest).not.toHaveProperty('next_cursor');
  });

  it('lists DMs when asked for type im', async () => {
    t = await slackUnderTest();
    const dms = await t.hub.call('list_channels', { types: ['im'] });
    expect(t.fake.calls('conversations.list')[0]?.query.types).toBe('im');
    expect(dms.channels).toEqual([expect.objectContaining({ id: ID.bobDm, is_im: true, user: ID.bob })]);
  });

  it('keeps asking when Slack answers an empty page with a cursor', async () => {
    t = await slackUnderTest({ pageSize: 1 });
    // Pages: general, random, deploys, secret (hidden), archived (excluded), Bob's DM (not a
    // public channel): three empty pages at the end.
    const all = await t.hub.call('list_channels', { limit: 50 });
    expect(all.channels.map((c) => c.name)).toEqual(['general', 'random', 'deploys']);
    expect(t.fake.calls('conversations.list')).toHaveLength(6);
    expect(all).not.toHaveProperty('next_cursor');
  });
});

describe('channel details and membership', () => {
  it('get_channel_info GETs conversations.info with include_num_members', async () => {
    t = await slackUnderTest();
    const info = await t.hub.call('get_channel_info', { channel: ID.general });
    expect(t.fake.calls('conversations.info')[0]?.query).toEqual({
      channel: ID.general,
      include_num_members: 'true',
    });
    expect(info).toMatchObject({
      id: ID.general,
      name: 'general',
      is_private: false,
      num_members: 4,
      topic: { value: 'Company-wide announcements' },
    });
  });

  it('join_channel POSTs conversations.join and reports an earlier membership', async () => {
    t = await slackUnderTest();
    const joined = await t.hub.call('join_channel', { channel: ID.random });
    const [req] = t.fake.calls('conversations.join');
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe(JSON_UTF8);
    expect(req?.json()).toEqual({ channel: ID.random });
    expect(joined).toMatchObject({ channel: { id: ID.random, is_member: true }, already_in_channel: false });
    expect(t.fake.channel(ID.random)?.members).toContain(ID.bot);

    const again = await t.hub.call('join_channel', { channel: ID.random });
    expect(again.already_in_channel).toBe(true);
    // Slack's already_in_channel warning is logged, not thrown.
    const warned = t.logs
      .records()
      .find((r) => r.msg === 'Slack conversations.join warned: already_in_channel');
    expect(warned).toMatchObject({
      level: 40,
      slackMethod: 'conversations.join',
      warnings: ['already_in_channel'],
    });
  });

  it('list_channel_members pages member ids', async () => {
    t = await slackUnderTest({ pageSize: 3 });
    const members = await t.hub.call('list_channel_members', { channel: ID.general, limit: 4 });
    expect(t.fake.calls('conversations.members').map((r) => r.query)).toEqual([
      { channel: ID.general, limit: '4' },
      { channel: ID.general, limit: '1', cursor: expect.any(String) },
    ]);
    expect(members).toEqual({ members: [ID.alice, ID.bob, ID.carol, ID.bot] });
  });

  it('create_channel, invite_to_channel and set_channel_topic POST JSON', async () => {
    t = await slackUnderTest();
    const created = await t.hub.call('create_channel', { name: 'incident-42' });
    expect(t.fake.calls('conversations.create')[0]?.json()).toEqual({
      name: 'incident-42',
      is_private: false,
    });
    expect(created).toMatchObject({ name: 'incident-42', is_member: true });

    const invited = await t.hub.call('invite_to_channel', { channel: created.id, users: [ID.alice, ID.bob] });
    const [invite] = t.fake.calls('conversations.invite');
    expect(invite?.headers['content-type']).toBe(JSON_UTF8);
    expect(invite?.json()).toEqual({ channel: created.id, users: `${ID.alice},${ID.bob}` });
    expect(invited.num_members).toBe(3);

    const topical = await t.hub.call('set_channel_topic', { channel: created.id, topic: 'Checkout is down' });
    expect(t.fake.calls('conversations.setTopic')[0]?.json()).toEqual({
      channel: created.id,
      topic: 'Checkout is down',
    });
    expect(topical.topic).toMatchObject({ value: 'Checkout is down' });
  });

  it('rejects a channel name Slack would refuse, before any request', async () => {
    t = await slackUnderTest();
    await expect(t.hub.call('create_channel', { name: 'Incident 42' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'name' }],
    });
    expect(t.fake.requests).toHaveLength(0);
  });
});
