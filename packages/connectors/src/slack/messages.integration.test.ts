import { IntegrationValidationError } from '@patchbay/core';
import { SLACK_SEED_IDS as ID } from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type SlackUnderTest, slackUnderTest } from './slack-test-kit.js';

let t: SlackUnderTest;
beforeEach(async () => {
  t = await slackUnderTest();
});
afterEach(async () => {
  await t[Symbol.asyncDispose]();
});

const JSON_UTF8 = 'application/json; charset=utf-8';

describe('send_message', () => {
  it('POSTs chat.postMessage as JSON with the bot token, and returns the new message ts', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Deployed* v2' } }];
    const posted = await t.hub.call('send_message', {
      channel: ID.general,
      text: 'Deployed v2',
      blocks,
      unfurl_links: false,
      unfurl_media: false,
      mrkdwn: true,
    });

    const [req] = t.fake.calls('chat.postMessage');
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/api/chat.postMessage');
    expect(req?.headers['content-type']).toBe(JSON_UTF8);
    expect(req?.headers.authorization).toBe(`Bearer ${t.fake.token}`);
    expect(req?.json()).toEqual({
      channel: ID.general,
      text: 'Deployed v2',
      blocks,
      unfurl_links: false,
      unfurl_media: false,
      mrkdwn: true,
    });
    expectTypeOf(posted.ts).toEqualTypeOf<string>();
    expectTypeOf(posted.message.text).toEqualTypeOf<string | undefined>();
    expect(posted.channel).toBe(ID.general);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ type: 'message', text: 'Deployed v2', ts: posted.ts, blocks });
    expect(t.fake.messages(ID.general).at(-1)).toMatchObject({ ts: posted.ts, text: 'Deployed v2' });
  });

  it('replies in a thread, optionally broadcast to the channel', async () => {
    const parent = '1700000060.000200';
    const reply = await t.hub.call('send_message', {
      channel: ID.general,
      text: 'Done',
      thread_ts: parent,
      reply_broadcast: true,
    });
    expect(t.fake.calls('chat.postMessage')[0]?.json()).toEqual({
      channel: ID.general,
      text: 'Done',
      thread_ts: parent,
      reply_broadcast: true,
    });
    expect(reply.message).toMatchObject({ thread_ts: parent, subtype: 'thread_broadcast' });
  });

  it('refuses a message with neither text nor blocks, or too many blocks, before any request', async () => {
    // @ts-expect-error: the compiler knows channel is required
    await expect(t.hub.call('send_message', { text: 'hi' })).rejects.toBeInstanceOf(
      IntegrationValidationError,
    );
    await expect(t.hub.call('send_message', { channel: ID.general })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'text', message: expect.stringContaining('text or blocks') }],
    });
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    await expect(
      t.hub.call('send_message', { channel: ID.general, text: 'x', blocks: many }),
    ).rejects.toBeInstanceOf(IntegrationValidationError);
    await expect(
      t.hub.call('send_message', { channel: ID.general, text: 'x', reply_broadcast: true }),
    ).rejects.toMatchObject({ issues: [{ path: 'reply_broadcast' }] });
    // A misspelt option is refused by name, not dropped (the reply would land outside the thread).
    await expect(
      t.hub.call('send_message', {
        channel: ID.general,
        text: 'x',
        thread_tss: '1700000060.000200',
      } as never),
    ).rejects.toMatchObject({ issues: [{ path: '(root)', message: expect.stringContaining('thread_tss') }] });
    expect(t.fake.requests).toHaveLength(0);
  });

  it('posts by channel name and into a DM opened earlier', async () => {
    const byName = await t.hub.call('send_message', { channel: '#deploys', text: 'hi' });
    expect(byName.channel).toBe(ID.deploys);
    const dm = await t.hub.call('open_dm', { user: ID.carol });
    const inDm = await t.hub.call('send_message', { channel: dm.channel, text: 'psst' });
    expect(inDm.channel).toBe(dm.channel);
    expect(t.fake.messages(dm.channel)).toMatchObject([{ text: 'psst' }]);
  });
});

describe('update_message and delete_message', () => {
  it('edits with chat.update and deletes with chat.delete, both JSON POSTs', async () => {
    const { ts } = await t.hub.call('send_message', { channel: ID.general, text: 'draft' });

    const updated = await t.hub.call('update_message', { channel: ID.general, ts, text: 'final' });
    const [update] = t.fake.calls('chat.update');
    expect(update?.method).toBe('POST');
    expect(update?.headers['content-type']).toBe(JSON_UTF8);
    expect(update?.json()).toEqual({ channel: ID.general, ts, text: 'final' });
    expect(updated).toMatchObject({ channel: ID.general, ts, text: 'final', message: { text: 'final' } });

    const deleted = await t.hub.call('delete_message', { channel: ID.general, ts });
    expect(t.fake.calls('chat.delete')[0]?.json()).toEqual({ channel: ID.general, ts });
    expect(deleted).toEqual({ channel: ID.general, ts });
    expect(t.fake.messages(ID.general).some((m) => m.ts === ts)).toBe(false);
  });
});

describe('get_channel_history', () => {
  it('GETs conversations.history with query parameters, newest first, without thread replies', async () => {
    const history = await t.hub.call('get_channel_history', {
      channel: ID.general,
      oldest: '1700000000',
      inclusive: true,
    });
    const [req] = t.fake.calls('conversations.history');
    expect(req?.method).toBe('GET');
    expect(req?.headers.authorization).toBe(`Bearer ${t.fake.token}`);
    expect(req?.text).toBe('');
    expect(req?.query).toEqual({ channel: ID.general, oldest: '1700000000', inclusive: 'true', limit: '20' });
    expect(history.messages.map((m) => m.text)).toEqual([
      'Lunch anyone?',
      'Deploy at 5?',
      'Welcome to Patchbay!',
    ]);
    expect(history.messages[1]).toMatchObject({ reply_count: 1, thread_ts: '1700000060.000200' });
    expect(history.has_more).toBe(false);
    expect(history).not.toHaveProperty('next_cursor');
  });

  it('stops at limit and hands back the cursor, which continues where it stopped', async () => {
    const first = await t.hub.call('get_channel_history', { channel: ID.general, limit: 2 });
    expect(first.messages.map((m) => m.text)).toEqual(['Lunch anyone?', 'Deploy at 5?']);
    expect(first.has_more).toBe(true);
    expect(first.next_cursor).toEqual(expect.any(String));

    const rest = await t.hub.call('get_channel_history', {
      channel: ID.general,
      limit: 2,
      cursor: first.next_cursor,
    });
    expect(t.fake.calls('conversations.history')[1]?.query).toEqual({
      channel: ID.general,
      limit: '2',
      cursor: first.next_cursor,
    });
    expect(rest.messages.map((m) => m.text)).toEqual(['Welcome to Patchbay!']);
    expect(rest.has_more).toBe(false);
  });
});

describe('get_thread_replies and get_message_permalink', () => {
  it('reads a thread oldest first with conversations.replies', async () => {
    const thread = await t.hub.call('get_thread_replies', { channel: ID.general, ts: '1700000060.000200' });
    expect(t.fake.calls('conversations.replies')[0]?.query).toEqual({
      channel: ID.general,
      ts: '1700000060.000200',
      limit: '100',
    });
    expect(thread.messages.map((m) => m.text)).toEqual(['Deploy at 5?', 'Yes, after the tests pass.']);
  });

  it('GETs chat.getPermalink with message_ts', async () => {
    const link = await t.hub.call('get_message_permalink', { channel: ID.general, ts: '1700000000.000100' });
    const [req] = t.fake.calls('chat.getPermalink');
    expect(req?.method).toBe('GET');
    expect(req?.query).toEqual({ channel: ID.general, message_ts: '1700000000.000100' });
    expect(link).toEqual({
      channel: ID.general,
      permalink: `https://patchbay.slack.com/archives/${ID.general}/p1700000000000100`,
    });
  });
});

describe('reactions', () => {
  it('adds and removes a reaction with JSON POSTs, accepting :colons:', async () => {
    const added = await t.hub.call('add_reaction', {
      channel: ID.general,
      ts: '1700000000.000100',
      name: ':eyes:',
    });
    const [add] = t.fake.calls('reactions.add');
    expect(add?.method).toBe('POST');
    expect(add?.headers['content-type']).toBe(JSON_UTF8);
    expect(add?.json()).toEqual({ channel: ID.general, timestamp: '1700000000.000100', name: 'eyes' });
    expect(added).toEqual({ channel: ID.general, ts: '1700000000.000100', name: 'eyes' });
    expect(t.fake.messages(ID.general)[0]?.reactions).toEqual({ eyes: [ID.bot] });

    await t.hub.call('remove_reaction', { channel: ID.general, ts: '1700000000.000100', name: 'eyes' });
    expect(t.fake.calls('reactions.remove')[0]?.json()).toEqual({
      channel: ID.general,
      timestamp: '1700000000.000100',
      name: 'eyes',
    });
    expect(t.fake.messages(ID.general)[0]?.reactions).toEqual({ eyes: [] });
  });
});
