import { createIntegration, isIntegrationError } from '@patchbay/core';
import {
  SLACK_SEED_IDS as ID,
  logSink,
  type RecordedRequest,
  rejectionOf,
  startFakeUpstream,
} from '@patchbay/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { slack } from './slack.js';
import { slackUnderTest } from './slack-test-kit.js';

/** One value for the bot token, another for the signing secret: a search for either finds any leak. */
const TOKEN = 'xoxb-CANARY-1f2e3d-do-not-leak';
const SIGNING = 'CANARY-signing-9a8b7c-do-not-leak';

function expectNoSecret(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(SIGNING);
  expect(text).not.toContain('CANARY');
}

function everythingAbout(error: unknown): string {
  if (!isIntegrationError(error)) return String(error);
  return [error.message, error.body, error.url, JSON.stringify(error.toJSON()), String(error.stack)].join(
    '\n',
  );
}

describe('canary: the bot token and signing secret never reach errors or logs', () => {
  it('through successes, ok:false failures, a 429 and the health check against the fake Slack', async () => {
    await using t = await slackUnderTest({ token: TOKEN, env: { SLACK_SIGNING_SECRET: SIGNING } });
    await t.hub.call('send_message', { channel: ID.general, text: 'hello' });
    await t.hub.call('notify_user', { email: 'bob@example.com', text: 'hi' });
    await t.hub.call('join_channel', { channel: ID.general });
    t.fake.failNext('missing_scope', { needed: 'chat:write', provided: 'users:read' });
    const scope = await t.hub.call('send_message', { channel: ID.general, text: 'x' }).catch((e) => e);
    const notIn = await t.hub.call('send_message', { channel: ID.random, text: 'x' }).catch((e) => e);
    await t.hub.healthCheck();
    // Last: a 429 pauses every later call of this token for Retry-After (beyond the cap: no wait here).
    t.fake.rateLimit(120, { method: 'chat.update' });
    const limited = await t.hub
      .call('update_message', { channel: ID.general, ts: '1700000000.000100', text: 'x' })
      .catch((e) => e);

    // The token did go out, where it belongs, so the searches below look for something real.
    expect(t.fake.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    for (const error of [scope, notIn, limited]) {
      expect(isIntegrationError(error)).toBe(true);
      expectNoSecret(everythingAbout(error));
    }
    expect(t.logs.lines.length).toBeGreaterThan(5);
    expectNoSecret(t.logs.text());
  });

  it('even when an upstream echoes the credentials back in an ok:false body', async () => {
    // A misbehaving proxy (or a future Slack field) quoting the request: the hook must redact it.
    await using up = await startFakeUpstream();
    const echo = (req: RecordedRequest) => ({
      json: {
        ok: false,
        error: `invalid_auth for ${String(req.headers.authorization)}`,
        detail: `rejected ${String(req.headers.authorization)} (signing ${SIGNING})`,
        needed: SIGNING,
      },
    });
    up.on('*', '/api/:method', echo);
    const logs = logSink();
    const hub = createIntegration(slack, {
      env: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: `${up.url}/api` },
      logger: pino({ level: 'debug' }, logs),
      metricsRegistry: new Registry(),
    });
    const error = await rejectionOf(hub.call('list_channels', {}), isIntegrationError);
    // Not a code Slack knows: permanent, and still redacted wherever it is quoted.
    expect(error.type).toBe('IntegrationPermanentError');
    expect(error.message).toContain('invalid_auth for Bearer ***');
    expect(error.body).toContain('rejected Bearer ***');
    expectNoSecret(everythingAbout(error));
    expectNoSecret(logs.text());
    expectNoSecret((await hub.healthCheck()).message);
    await hub.close();
  });
});
