import { contractRequestOf, SLACK_SEED_IDS as ID, vendorContract } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackUnderTest, slackUnderTest } from './slack-test-kit.js';

/**
 * Where the 2021 description contradicts Slack's documentation and its own definitions. The
 * connector and the fake follow Slack; each gap is listed by its exact problem text, so a new
 * problem (or a gap that closes) fails the test.
 */
const SPEC_GAPS = {
  // chat.delete's `ts` is a "number" in this description only. Slack documents it as the
  // message's timestamp string (https://api.slack.com/methods/chat.delete: "1405894322.002768"),
  // the same description types every other ts as a string (defs_ts, chat.update's `ts`), and as a
  // JSON number 1700000000.000100 would arrive as 1700000000.0001: another message id.
  request: ['POST /chat.delete: request body field "ts": must be number'],
  // chat.update's success schema types `message.blocks` as an object; blocks are an array
  // everywhere else in this description (definitions.blocks, objs_message.blocks) and in Slack's
  // answers. chat.update keeps a message's blocks when only text is sent
  // (https://api.slack.com/methods/chat.update#arg_blocks), so the edited message still has them.
  response: ['POST /chat.update response 200 body: /message/blocks must be object'],
};

/**
 * Every operation, driven against the fake Slack; then each request the connector sent and each
 * answer the fake gave is checked against Slack's published Web API description.
 */
describe('slack connector and fake against the Slack Web API description', () => {
  let t: SlackUnderTest;
  beforeAll(async () => {
    t = await slackUnderTest({ pageSize: 2 });
    const { hub, fake } = t;
    const posted = await hub.call('send_message', {
      channel: ID.general,
      text: 'Deployed',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Deployed*' } }],
      unfurl_links: false,
      unfurl_media: false,
      mrkdwn: true,
    });
    await hub.call('send_message', {
      channel: ID.general,
      text: 'in thread',
      thread_ts: posted.ts,
      reply_broadcast: true,
    });
    await hub.call('update_message', { channel: ID.general, ts: posted.ts, text: 'Deployed v2' });
    await hub.call('get_channel_history', { channel: ID.general, limit: 3, oldest: '1700000000' });
    await hub.call('get_thread_replies', { channel: ID.general, ts: '1700000060.000200' });
    await hub.call('get_message_permalink', { channel: ID.general, ts: posted.ts });
    await hub.call('add_reaction', { channel: ID.general, ts: posted.ts, name: 'rocket' });
    await hub.call('remove_reaction', { channel: ID.general, ts: posted.ts, name: 'rocket' });
    await hub.call('delete_message', { channel: ID.general, ts: posted.ts });
    await hub.call('list_channels', { types: ['public_channel', 'private_channel'], limit: 3 });
    await hub.call('list_channels', { types: ['im'] });
    await hub.call('get_channel_info', { channel: ID.general });
    await hub.call('get_channel_info', { channel: ID.bobDm });
    await hub.call('get_channel_history', { channel: ID.bobDm });
    await hub.call('join_channel', { channel: ID.random });
    await hub.call('list_channel_members', { channel: ID.general, limit: 3 });
    const created = await hub.call('create_channel', { name: 'incident-7', is_private: false });
    await hub.call('invite_to_channel', { channel: created.id, users: [ID.alice, ID.bob] });
    await hub.call('set_channel_topic', { channel: created.id, topic: 'Checkout down' });
    await hub.call('get_user_info', { user: ID.alice });
    await hub.call('list_users', { limit: 3 });
    await hub.call('lookup_user_by_email', { email: 'bob@example.com' });
    await hub.call('open_dm', { user: ID.carol });
    await hub.call('notify_user', { email: 'alice@example.com', text: 'Your report is ready' });
    await hub.healthCheck();
    // Failures, in Slack's shapes: a scope error, a Slack rule, a 429.
    fake.failNext('missing_scope', { method: 'users.info', needed: 'users:read', provided: 'chat:write' });
    await hub.call('get_user_info', { user: ID.bob }).catch(() => undefined);
    await hub.call('send_message', { channel: ID.archived, text: 'x' }).catch(() => undefined);
    fake.rateLimit(120, { method: 'conversations.members' });
    await hub.call('list_channel_members', { channel: ID.random }).catch(() => undefined);
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
  });

  it('reached every Slack method the connector uses', () => {
    const methods = new Set(t.fake.exchanges.map((x) => x.request.path.replace('/api/', '')));
    expect([...methods].sort()).toEqual([
      'auth.test',
      'chat.delete',
      'chat.getPermalink',
      'chat.postMessage',
      'chat.update',
      'conversations.create',
      'conversations.history',
      'conversations.info',
      'conversations.invite',
      'conversations.join',
      'conversations.list',
      'conversations.members',
      'conversations.open',
      'conversations.replies',
      'conversations.setTopic',
      'reactions.add',
      'reactions.remove',
      'users.info',
      'users.list',
      'users.lookupByEmail',
    ]);
  });

  it("sends only documented requests (bar the description's own gaps)", () => {
    const slack = vendorContract('slack');
    const problems = t.fake.exchanges.flatMap(({ request }) =>
      slack.checkRequest(contractRequestOf(request)),
    );
    expect(problems).toEqual(SPEC_GAPS.request);
  });

  it("is answered (by the fake) only as Slack documents (bar the description's own gaps)", () => {
    const slack = vendorContract('slack');
    const problems = t.fake.exchanges.flatMap(({ request, response }) =>
      slack.checkResponse({ method: request.method, url: request.url }, response),
    );
    expect(problems).toEqual(SPEC_GAPS.response);
  });
});
