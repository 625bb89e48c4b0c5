import { type FakeUpstream, startFakeUpstream } from '../../fake-upstream.js';
import type { FakeResponse, RecordedRequest } from '../../types.js';
import {
  type FakeSlackFailOptions,
  type FakeSlackFaultOptions,
  FaultQueue,
  type QueuedFault,
} from './faults.js';
import type { SlackMethodTable } from './method.js';
import { authMethods } from './methods/auth.js';
import { chatMethods } from './methods/chat.js';
import { conversationReadMethods } from './methods/conversations-read.js';
import { conversationWriteMethods } from './methods/conversations-write.js';
import { reactionMethods } from './methods/reactions.js';
import { userMethods } from './methods/users.js';
import {
  defaultSlackSeed,
  type FakeSlackChannel,
  type FakeSlackMessage,
  type FakeSlackSeed,
} from './seed.js';
import { readArgs, SlackMethodError, warningMessage } from './wire.js';
import { SlackWorkspace } from './workspace.js';

/** The bot token a fake Slack accepts unless told otherwise. */
export const FAKE_SLACK_TOKEN = 'xoxb-0000000000-fake-slack-token';

const METHODS: SlackMethodTable = {
  ...authMethods,
  ...chatMethods,
  ...conversationReadMethods,
  ...conversationWriteMethods,
  ...userMethods,
  ...reactionMethods,
};

const JSON_UTF8 = 'application/json; charset=utf-8';

/** Options of {@link startFakeSlack}. */
export interface FakeSlackOptions {
  /**
   * The bot token it accepts as `Authorization: Bearer …`.
   * @default FAKE_SLACK_TOKEN
   */
  token?: string;
  /**
   * Most entries one page holds whatever `limit` asks for, so paging can be seen with a few
   * entries (Slack, too, may return fewer than `limit`).
   * @default 1000
   */
  pageSize?: number;
  /** The workspace to start with. @default defaultSlackSeed() */
  seed?: FakeSlackSeed;
}

/** One call and the answer the fake gave, for checking both against Slack's published description. */
export interface FakeSlackExchange {
  request: RecordedRequest;
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/**
 * A fake Slack Web API on loopback: real HTTP, Slack's wire format (`POST|GET /api/<method>`,
 * HTTP 200 with `{"ok": false, "error": …}` for failures, cursor paging, `Retry-After` on 429),
 * backed by a small in-memory workspace. Start one with {@link startFakeSlack}.
 */
export interface FakeSlack extends AsyncDisposable {
  /** The origin, e.g. `'http://127.0.0.1:41234'`. */
  readonly url: string;
  /** The Web API base, `${url}/api`: what `SLACK_API_URL` should be. */
  readonly apiUrl: string;
  /** The bot token it accepts. */
  readonly token: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Every answered call with the answer, in order (faults included). */
  readonly exchanges: readonly FakeSlackExchange[];
  /** The requests to one method, e.g. `calls('chat.postMessage')`. */
  calls(method: string): RecordedRequest[];
  /** A channel's or DM's stored history, oldest first (a copy). */
  messages(conversation: string): FakeSlackMessage[];
  /** A channel's current state (a copy), or undefined. */
  channel(id: string): FakeSlackChannel | undefined;
  /** The id of the open DM with a user, or undefined. */
  dmWith(userId: string): string | undefined;
  /**
   * The next matching call(s) get HTTP 429 with `Retry-After: <seconds>` and
   * `{"ok": false, "error": "ratelimited"}`, as Slack answers a method over its tier.
   */
  rateLimit(retryAfterSeconds: number, options?: FakeSlackFaultOptions): this;
  /** The next matching call(s) get HTTP 200 `{"ok": false, "error": <error>}` (with `needed`/`provided` if given). */
  failNext(error: string, options?: FakeSlackFailOptions): this;
  close(): Promise<void>;
}

class FakeSlackServer implements FakeSlack {
  readonly url: string;
  readonly apiUrl: string;
  readonly token: string;
  readonly exchanges: FakeSlackExchange[] = [];
  readonly #up: FakeUpstream;
  readonly #ws: SlackWorkspace;
  readonly #faults = new FaultQueue();
  readonly #pageSize: number;

  constructor(up: FakeUpstream, options: FakeSlackOptions) {
    this.#up = up;
    this.url = up.url;
    this.apiUrl = `${up.url}/api`;
    this.token = options.token ?? FAKE_SLACK_TOKEN;
    this.#pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(this.#pageSize) || this.#pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${options.pageSize}`);
    }
    this.#ws = new SlackWorkspace(options.seed ?? defaultSlackSeed());
    up.on('*', '/api/:method', (request) => this.#answer(request));
  }

  get requests(): readonly RecordedRequest[] {
    return this.#up.requests;
  }

  calls(method: string): RecordedRequest[] {
    return this.#up.requests.filter((r) => r.path === `/api/${method}`);
  }

  messages(conversation: string): FakeSlackMessage[] {
    return (this.#ws.histories.get(conversation) ?? []).map((m) => ({ ...m }));
  }

  channel(id: string): FakeSlackChannel | undefined {
    const channel = this.#ws.channels.find((c) => c.id === id);
    return channel && { ...channel, members: [...channel.members] };
  }

  dmWith(userId: string): string | undefined {
    return this.#ws.dms.find((d) => d.user === userId)?.id;
  }

  rateLimit(retryAfterSeconds: number, options: FakeSlackFaultOptions = {}): this {
    this.#faults.add({
      kind: 'rate_limit',
      retryAfterSeconds,
      remaining: options.times ?? 1,
      ...(options.method !== undefined && { method: options.method }),
    });
    return this;
  }

  failNext(error: string, options: FakeSlackFailOptions = {}): this {
    this.#faults.add({
      kind: 'error',
      error,
      remaining: options.times ?? 1,
      ...(options.method !== undefined && { method: options.method }),
      ...(options.needed !== undefined && { needed: options.needed }),
      ...(options.provided !== undefined && { provided: options.provided }),
    });
    return this;
  }

  close(): Promise<void> {
    return this.#up.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #answer(request: RecordedRequest): FakeResponse {
    const name = request.params.method ?? '';
    const { status, headers, body } = this.#respond(name, request);
    this.exchanges.push({ request, response: { status, headers, body } });
    return { status, headers, json: body };
  }

  #respond(name: string, request: RecordedRequest): FakeSlackExchange['response'] {
    const headers: Record<string, string> = { 'content-type': JSON_UTF8, 'x-slack-req-id': randomReqId() };
    const method = METHODS[name];
    if (!method)
      return { status: 404, headers, body: { ok: false, error: 'unknown_method', req_method: name } };
    const fault = this.#faults.take(name);
    if (fault) return faultResponse(fault, headers);
    try {
      const { args, warnings, bodyToken } = readArgs(request, method.acceptsJson);
      const authError = this.#authError(request, bodyToken);
      if (authError) return { status: 200, headers, body: { ok: false, error: authError } };
      const result = method.run(args, { ws: this.#ws, pageSize: this.#pageSize });
      return { status: 200, headers, body: withWarnings({ ok: true, ...result }, warnings) };
    } catch (error) {
      if (!(error instanceof SlackMethodError)) throw error;
      return { status: 200, headers, body: { ok: false, error: error.code, ...error.extra } };
    }
  }

  /** `not_authed` without a token, `invalid_auth` with a wrong one, as Slack answers (HTTP 200). */
  #authError(request: RecordedRequest, bodyToken: string | undefined): string | undefined {
    const header = String(request.headers.authorization ?? '');
    const fromHeader = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    const token = fromHeader ?? bodyToken;
    if (token === undefined) return 'not_authed';
    return token === this.token ? undefined : 'invalid_auth';
  }
}

function faultResponse(fault: QueuedFault, headers: Record<string, string>): FakeSlackExchange['response'] {
  if (fault.kind === 'rate_limit') {
    return {
      status: 429,
      headers: { ...headers, 'retry-after': String(fault.retryAfterSeconds) },
      body: { ok: false, error: 'ratelimited' },
    };
  }
  const body: Record<string, unknown> = { ok: false, error: fault.error };
  if (fault.needed !== undefined) body.needed = fault.needed;
  if (fault.provided !== undefined) body.provided = fault.provided;
  return { status: 200, headers, body };
}

/** Adds request-level warnings (`missing_charset`) to `response_metadata`, as Slack does. */
function withWarnings(body: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  if (warnings.length === 0) return body;
  const metadata = (body.response_metadata ?? {}) as { warnings?: string[]; messages?: string[] };
  return {
    ...body,
    response_metadata: {
      ...metadata,
      warnings: [...(metadata.warnings ?? []), ...warnings],
      messages: [...(metadata.messages ?? []), ...warnings.map(warningMessage)],
    },
  };
}

function randomReqId(): string {
  return Math.random().toString(16).slice(2, 14).padEnd(12, '0');
}

/**
 * Starts a fake Slack Web API on loopback with a seeded workspace ({@link defaultSlackSeed}).
 *
 * @example
 * ```ts
 * await using slack = await startFakeSlack({ pageSize: 2 });
 * const hub = createIntegration(slackIntegration, {
 *   env: { SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.apiUrl },
 * });
 * slack.rateLimit(1, { method: 'conversations.list' });
 * slack.failNext('channel_not_found', { method: 'chat.postMessage' });
 * expect(slack.calls('chat.postMessage')[0]?.json()).toMatchObject({ channel: 'C0GENERAL1' });
 * ```
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const up = await startFakeUpstream();
  return new FakeSlackServer(up, options);
}
