import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContract } from './types.js';
import { vendorContract } from './vendor-contracts.js';

const bearer = { authorization: 'Bearer xoxb-test' };
const postJson = {
  method: 'POST',
  url: '/api/chat.postMessage',
  headers: { ...bearer, 'content-type': 'application/json; charset=utf-8' },
};
const postForm = {
  method: 'POST',
  url: '/api/chat.postMessage',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};

const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Deploy* finished' } }];

/** A chat.postMessage success as Slack documents it. */
const posted = {
  ok: true,
  channel: 'C1H9RESGL',
  ts: '1503435956.000247',
  message: {
    type: 'message',
    subtype: 'bot_message',
    text: "Here's a message for you",
    ts: '1503435956.000247',
    username: 'ecto1',
    bot_id: 'B19LU7CSY',
  },
};

describe("vendorContract('slack')", () => {
  let slack: ApiContract;
  beforeAll(() => {
    slack = vendorContract('slack');
  });

  it('matches methods under the /api base path, and without it', () => {
    expect(slack.match('POST', '/api/chat.postMessage')).toEqual({
      operationId: 'chat_postMessage',
      pathTemplate: '/chat.postMessage',
    });
    expect(slack.match('GET', '/conversations.list?limit=10')?.operationId).toBe('conversations_list');
  });

  describe('requests', () => {
    it('accepts chat.postMessage as JSON with a bearer token, blocks as a real array', () => {
      const body = { channel: 'C1H9RESGL', text: 'Deploy finished', blocks, unfurl_links: false };
      expect(slack.checkRequest({ ...postJson, body })).toEqual([]);
    });

    it('accepts chat.postMessage as a form carrying its token, though Slack documents it as a header here', () => {
      const body = { token: 'xoxb-test', channel: 'C1H9RESGL', text: 'Deploy finished', mrkdwn: 'true' };
      expect(slack.checkRequest({ ...postForm, body })).toEqual([]);
    });

    it('accepts conversations.list with its query, and reports a wrong type and an unknown name', () => {
      const listing = {
        method: 'GET',
        url: '/api/conversations.list?types=public_channel%2Cprivate_channel&limit=200&cursor=dGVhbTpDMDYxRkE1UEI%3D',
        headers: bearer,
      };
      expect(slack.checkRequest(listing)).toEqual([]);
      expect(
        slack.checkRequest({ ...listing, url: '/api/conversations.list?limit=lots&exclude_archive=true' }),
      ).toEqual([
        'GET /conversations.list: query parameter "limit": must be integer',
        'GET /conversations.list: query parameter "exclude_archive" is not documented',
      ]);
    });

    it('reports a missing channel, an unknown field and a wrong type in a JSON body', () => {
      expect(
        slack.checkRequest({ ...postJson, body: { chanel: 'C1H9RESGL', text: 'hi', unfurl_links: 'no' } }),
      ).toEqual([
        'POST /chat.postMessage: request body field "chanel" is not documented',
        'POST /chat.postMessage: request body field "unfurl_links": must be boolean',
        'POST /chat.postMessage: required request body field "channel" is missing',
      ]);
    });

    it('reports a form field of the wrong type, and a token sent neither as header nor as bearer', () => {
      expect(
        slack.checkRequest({
          ...postForm,
          body: { channel: 'C1H9RESGL', text: 'hi', unfurl_media: 'sometimes' },
        }),
      ).toEqual([
        'POST /chat.postMessage: required header "token" is missing',
        'POST /chat.postMessage: form parameter "unfurl_media": must be boolean',
      ]);
    });

    it('reports an undocumented method', () => {
      expect(
        slack.checkRequest({ ...postJson, url: '/api/chat.postMessages', body: { channel: 'C1' } }),
      ).toEqual(['POST /api/chat.postMessages: no documented operation matches this path']);
    });
  });

  describe('responses', () => {
    const request = { method: 'POST', url: '/api/chat.postMessage' };

    it('accepts a documented success, and an ok:false error sent with status 200', () => {
      expect(slack.checkResponse(request, { status: 200, body: posted })).toEqual([]);
      expect(
        slack.checkResponse(request, { status: 200, body: { ok: false, error: 'channel_not_found' } }),
      ).toEqual([]);
    });

    it('accepts fields and error codes newer than the 2021 description', () => {
      const withWarnings = { ...posted, response_metadata: { warnings: ['missing_charset'] } };
      expect(slack.checkResponse(request, { status: 200, body: withWarnings })).toEqual([]);
      expect(
        slack.checkResponse(request, { status: 429, body: { ok: false, error: 'ratelimited' } }),
      ).toEqual([]);
    });

    it('reports a success missing its required fields, or of the wrong type', () => {
      expect(slack.checkResponse(request, { status: 200, body: { ok: true, channel: 'C1H9RESGL' } })).toEqual(
        [
          "POST /chat.postMessage response 200 body: must have required property 'ts'",
          "POST /chat.postMessage response 200 body: must have required property 'message'",
        ],
      );
      expect(slack.checkResponse(request, { status: 200, body: { ...posted, ts: 1503435956 } })).toContain(
        'POST /chat.postMessage response 200 body: /ts must be string',
      );
    });

    it('holds a non-200 status to the error schema', () => {
      expect(slack.checkResponse(request, { status: 500, body: posted })).toContain(
        "POST /chat.postMessage response 500 body: must have required property 'error'",
      );
    });
  });
});
