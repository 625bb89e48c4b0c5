import {
  createIntegration,
  IntegrationAuthError,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  isIntegrationError,
} from '@patchbay/core';
import { SLACK_SEED_IDS as ID, rejectionOf } from '@patchbay/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ERROR_KINDS, type SlackErrorKind, slackErrorOf } from './errors.js';
import { slack } from './slack.js';
import { type SlackUnderTest, slackUnderTest } from './slack-test-kit.js';

const CLASS_OF: Record<SlackErrorKind, new (...args: never[]) => Error> = {
  auth: IntegrationAuthError,
  rate_limited: IntegrationRateLimited,
  temporary: IntegrationTemporaryError,
  permanent: IntegrationPermanentError,
};

describe('ok:false answers (HTTP 200) become the kernel error of their kind', () => {
  let t: SlackUnderTest;
  beforeAll(async () => {
    t = await slackUnderTest();
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
  });

  const cases: [string, SlackErrorKind][] = [
    ...Object.entries(SLACK_ERROR_KINDS),
    // Not in the table: an unknown failure is permanent, not retried blindly.
    ['some_future_error', 'permanent'],
  ];

  it.each(cases)('%s → %s', async (code, kind) => {
    t.fake.failNext(code, { method: 'conversations.info' });
    const before = t.fake.calls('conversations.info').length;
    const error = await rejectionOf(
      t.hub.call('get_channel_info', { channel: ID.general }),
      isIntegrationError,
    );

    expect(error).toBeInstanceOf(CLASS_OF[kind]);
    expect(error.type).toBe(CLASS_OF[kind].name);
    expect(error.message).toBe(`Slack conversations.info failed: ${code}`);
    expect(slackErrorOf(error)).toEqual({ error: code, method: 'conversations.info' });
    expect(error).toMatchObject({
      integration: 'slack',
      operation: 'get_channel_info',
      status: 200,
      method: 'GET',
      requestSent: true,
      retryable: kind === 'rate_limited' || kind === 'temporary',
    });
    expect(error.url).toBe(
      `${t.fake.apiUrl}/conversations.info?channel=${ID.general}&include_num_members=true`,
    );
    expect(JSON.parse(error.body ?? '')).toEqual({ ok: false, error: code });
    // Never retried by the kernel (the hook runs after retry): exactly one request.
    expect(t.fake.calls('conversations.info').length - before).toBe(1);
  });

  it('missing_scope carries the needed and provided scopes', async () => {
    t.fake.failNext('missing_scope', {
      method: 'chat.postMessage',
      needed: 'chat:write',
      provided: 'channels:read,users:read',
    });
    const error = await rejectionOf(
      t.hub.call('send_message', { channel: ID.general, text: 'hi' }),
      isIntegrationError,
    );
    expect(error).toBeInstanceOf(IntegrationAuthError);
    expect(error.message).toBe(
      'Slack chat.postMessage failed: missing_scope (needs chat:write; token has channels:read, users:read)',
    );
    expect(slackErrorOf(error)).toEqual({
      error: 'missing_scope',
      method: 'chat.postMessage',
      needed: ['chat:write'],
      provided: ['channels:read', 'users:read'],
    });
    expect(error.toJSON()).toMatchObject({ type: 'IntegrationAuthError', retryable: false, status: 200 });
  });

  it("errors a write may have partly applied are not retryable; Slack's other temporary ones are", async () => {
    for (const [code, retryable] of [
      ['fatal_error', false],
      ['internal_error', false],
      ['service_unavailable', true],
      ['request_timeout', true],
    ] as const) {
      t.fake.failNext(code, { method: 'chat.postMessage' });
      const error = await rejectionOf(
        t.hub.call('send_message', { channel: ID.general, text: 'once' }),
        isIntegrationError,
      );
      expect([code, error.type, error.retryable]).toEqual([code, 'IntegrationTemporaryError', retryable]);
    }
  });

  it("Slack's own refusals come back the same way", async () => {
    const codeOf = async (call: Promise<unknown>) =>
      slackErrorOf(await rejectionOf(call, isIntegrationError))?.error;
    expect(await codeOf(t.hub.call('send_message', { channel: ID.random, text: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(await codeOf(t.hub.call('send_message', { channel: ID.archived, text: 'x' }))).toBe('is_archived');
    expect(await codeOf(t.hub.call('get_channel_info', { channel: 'C0NOWHERE9' }))).toBe('channel_not_found');
    expect(await codeOf(t.hub.call('get_user_info', { user: 'U0NOBODY99' }))).toBe('user_not_found');
    expect(
      await codeOf(
        t.hub.call('add_reaction', { channel: ID.general, ts: '1700000999.000999', name: 'eyes' }),
      ),
    ).toBe('message_not_found');
  });

  it('counts an ok:false answer as a failed call with its outcome in the metrics', async () => {
    t.fake.failNext('invalid_auth', { method: 'users.info' });
    await t.hub.call('get_user_info', { user: ID.carol }).catch(() => undefined);
    expect(await t.registry.metrics()).toMatch(
      /patchbay_client_requests_total\{[^}]*operation="get_user_info"[^}]*outcome="auth_error"[^}]*\} 1/,
    );
  });
});

describe('credentials and health', () => {
  let t: SlackUnderTest | undefined;
  afterEach(async () => {
    await t?.[Symbol.asyncDispose]();
    t = undefined;
  });

  it('a wrong token is invalid_auth: an IntegrationAuthError, and an unhealthy integration', async () => {
    t = await slackUnderTest({ env: { SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' } });
    const error = await rejectionOf(t.hub.call('list_channels', {}), isIntegrationError);
    expect(error).toBeInstanceOf(IntegrationAuthError);
    expect(slackErrorOf(error)?.error).toBe('invalid_auth');

    const health = await t.hub.healthCheck();
    expect(t.fake.calls('auth.test')[0]?.method).toBe('GET');
    expect(health).toMatchObject({
      name: 'slack',
      status: 'error',
      message: 'IntegrationAuthError: Slack auth.test failed: invalid_auth',
    });
  });

  it('the right token is healthy (auth.test)', async () => {
    t = await slackUnderTest();
    expect(await t.hub.healthCheck()).toMatchObject({ status: 'ready', message: 'API accessible' });
    expect(t.fake.calls('auth.test')[0]?.headers.authorization).toBe(`Bearer ${t.fake.token}`);
  });

  it('reads SLACK_SIGNING_SECRET into config, and is not configured without SLACK_BOT_TOKEN', async () => {
    t = await slackUnderTest({ env: { SLACK_SIGNING_SECRET: 'sign-me-please' } });
    expect(t.hub.requireConfig()).toEqual({
      token: t.fake.token,
      baseUrl: t.fake.apiUrl,
      signingSecret: 'sign-me-please',
    });
    expect(t.hub.secretFields).toEqual(['token', 'signingSecret']);
    const bare = createIntegration(slack, { env: {}, logger: false, metricsRegistry: false });
    expect(() => bare.requireConfig()).toThrow(/config\.token: is required/);
  });
});

describe('HTTP 429 with Retry-After (per-method tier limits)', () => {
  let t: SlackUnderTest;
  beforeAll(async () => {
    t = await slackUnderTest();
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
  });

  it('a read waits exactly as long as Slack asked, then retries and succeeds', async () => {
    t.fake.rateLimit(1, { method: 'conversations.list' });
    const listed = await t.hub.call('list_channels', {});
    expect(listed.channels).toHaveLength(3);
    const [limited, retried] = t.fake.calls('conversations.list');
    expect(retried).toBeDefined();
    // Never earlier than Retry-After: the second request arrives a full second after the first.
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(t.fake.exchanges.find((x) => x.request === limited)?.response).toMatchObject({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
  });

  it('a write refused with 429 is sent again after the wait (a refusal applied nothing), and posted once', async () => {
    t.fake.rateLimit(1, { method: 'chat.postMessage', times: 1 });
    const before = t.fake.messages(ID.general).length;
    const posts = t.fake.calls('chat.postMessage').length;
    await t.hub.call('send_message', { channel: ID.general, text: 'later' });
    const [refused, sent] = t.fake.calls('chat.postMessage').slice(posts);
    expect(t.fake.calls('chat.postMessage')).toHaveLength(posts + 2);
    expect(sent!.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(t.fake.messages(ID.general)).toHaveLength(before + 1);
  });

  it('a write whose wait is longer than the cap fails at once with retryAfter, and nothing was posted', async () => {
    t.fake.rateLimit(90, { method: 'chat.postMessage' });
    const before = t.fake.messages(ID.general).length;
    const posts = t.fake.calls('chat.postMessage').length;
    const error = await rejectionOf(
      t.hub.call('send_message', { channel: ID.general, text: 'later' }),
      isIntegrationError,
    );
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error).toMatchObject({ retryAfter: 90, retryable: true, operation: 'send_message' });
    expect(t.fake.calls('chat.postMessage')).toHaveLength(posts + 1);
    expect(t.fake.messages(ID.general)).toHaveLength(before);
  });
});

describe('HTTP 429 pauses every Slack call of the token, and a too-long wait fails at once', () => {
  let t: SlackUnderTest | undefined;
  afterEach(async () => {
    await t?.[Symbol.asyncDispose]();
    t = undefined;
  });

  it('after a 429 on one method, the next call of another method waits for Retry-After too', async () => {
    t = await slackUnderTest();
    t.fake.rateLimit(1, { method: 'chat.postMessage' });
    await t.hub.call('send_message', { channel: ID.general, text: 'x' }).catch(() => undefined);
    await t.hub.call('get_user_info', { user: ID.bob });
    const [post] = t.fake.calls('chat.postMessage');
    const [info] = t.fake.calls('users.info');
    expect(info!.receivedAt - post!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('a Retry-After beyond the 60 s cap is not slept through: IntegrationRateLimited with the wait', async () => {
    t = await slackUnderTest();
    t.fake.rateLimit(120, { method: 'users.list' });
    const error = await rejectionOf(t.hub.call('list_users', {}), isIntegrationError);
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error.retryAfter).toBe(120);
    expect(t.fake.calls('users.list')).toHaveLength(1);
  });
});
