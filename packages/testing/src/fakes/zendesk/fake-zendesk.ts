import { type FakeUpstream, startFakeUpstream } from '../../fake-upstream.js';
import type { FakeResponse, RecordedRequest } from '../../types.js';
import { ZendeskDesk } from './zendesk-desk.js';
import { zendeskError } from './zendesk-json.js';
import type { FakeZendeskSeedTicket, FakeZendeskTicket, FakeZendeskUser } from './zendesk-records.js';
import { registerZendeskRoutes } from './zendesk-routes.js';

export interface FakeZendeskOptions {
  /** The API user's email; requests must authenticate as `{email}/token`. @default 'api@example.com' */
  email?: string;
  /** The API token the fake accepts. @default 'fake-zendesk-api-token' */
  apiToken?: string;
  /** The custom field the seeded tickets keep their customer id in. @default 360000000001 */
  customerIdFieldId?: number;
  /**
   * Start with three tickets: #1 open/high, assigned to `agent@example.com`, with an internal
   * note and a public reply; #2 pending, unassigned; #3 solved. Each carries a customer id.
   * @default true
   */
  seed?: boolean;
}

/**
 * A fake Zendesk Support API v2 on loopback: Basic auth in the `{email}/token:{api_token}` form,
 * tickets with comments, audits and custom fields, offset and cursor pagination, search and
 * search export, Zendesk's error bodies (401, 404 `RecordNotFound`, 422 `RecordInvalid` with
 * `details`), idempotent ticket creation (`Idempotency-Key`, `x-idempotency-lookup: miss|hit`),
 * a 429 switch with `Retry-After`, and a switch that applies a request then drops its answer.
 *
 * Routes (each also with a `.json` suffix): `GET /api/v2/users/me`, `POST /api/v2/tickets`,
 * `GET|PUT /api/v2/tickets/{id}` (`include=users` sideloads), `GET /api/v2/tickets/{id}/comments`
 * (offset, or cursor with `page[size]`), `GET /api/v2/search` (offset), `GET /api/v2/search/export`
 * (cursor, `filter[type]=ticket`). The search syntax it understands is listed in `zendesk-search.ts`.
 *
 * @example
 * await using zendesk = await startFakeZendesk();
 * const integration = createIntegration(zendeskIntegration, {
 *   values: { baseUrl: zendesk.url, email: zendesk.email, apiToken: zendesk.apiToken },
 * });
 * await integration.call('get_ticket_status', { ticketId: 1 });
 * expect(zendesk.requestsTo('GET', '/api/v2/tickets/1')).toHaveLength(1);
 */
export interface FakeZendesk extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:41234` (use it as the connector's `baseUrl`). */
  readonly url: string;
  readonly email: string;
  readonly apiToken: string;
  readonly customerIdFieldId: number;
  /** The underlying fake upstream: add or override routes, read the raw request log. */
  readonly upstream: FakeUpstream;
  /** Every request received, in order (rate-limited and refused ones included). */
  readonly requests: readonly RecordedRequest[];
  requestsTo(method: string, path: string): RecordedRequest[];
  /** The tickets as the fake holds them now. */
  readonly tickets: readonly FakeZendeskTicket[];
  ticket(id: number): FakeZendeskTicket | undefined;
  user(email: string): FakeZendeskUser | undefined;
  /** Adds a ticket without going through HTTP. */
  seedTicket(seed: FakeZendeskSeedTicket): FakeZendeskTicket;
  /**
   * Answers every request (or the next `times`) with 429 and `Retry-After: retryAfterSeconds`,
   * before checking credentials, as Zendesk's edge does.
   */
  rateLimit(retryAfterSeconds: number, options?: { times?: number }): void;
  clearRateLimit(): void;
  /**
   * The next request that gets past auth is applied (a ticket created, a comment added), then
   * its connection is reset before any answer: the client cannot tell whether it landed.
   */
  dropNextResponse(): void;
  close(): Promise<void>;
}

/** Starts a {@link FakeZendesk} on loopback. */
export async function startFakeZendesk(options: FakeZendeskOptions = {}): Promise<FakeZendesk> {
  const email = options.email ?? 'api@example.com';
  const apiToken = options.apiToken ?? 'fake-zendesk-api-token';
  const customerIdFieldId = options.customerIdFieldId ?? 360000000001;
  const expected = `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`;
  const upstream = await startFakeUpstream();
  const desk = new ZendeskDesk(email);
  if (options.seed !== false) seedDefaults(desk, customerIdFieldId);

  let limited: { retryAfter: number; left: number } | undefined;
  let dropNext = false;
  const guard =
    (handler: (req: RecordedRequest) => FakeResponse) =>
    (req: RecordedRequest): FakeResponse => {
      if (limited && limited.left > 0) {
        limited.left--;
        return zendeskError.rateLimited(limited.retryAfter);
      }
      if (req.headers.authorization !== expected) return zendeskError.unauthorized();
      const response = handler(req);
      if (!dropNext) return response;
      dropNext = false;
      return { drop: 'before-headers' };
    };
  registerZendeskRoutes(upstream, desk, guard);

  return {
    url: upstream.url,
    email,
    apiToken,
    customerIdFieldId,
    upstream,
    get requests() {
      return upstream.requests;
    },
    requestsTo: (method, path) => upstream.requestsTo(method, path),
    get tickets() {
      return desk.tickets;
    },
    ticket: (id) => desk.ticket(id),
    user: (address) => desk.userByEmail(address),
    seedTicket: (seed) => desk.seed(seed),
    rateLimit(retryAfterSeconds, rateOptions = {}) {
      if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
        throw new TypeError('retryAfterSeconds must be a whole number of seconds >= 0');
      }
      limited = { retryAfter: retryAfterSeconds, left: rateOptions.times ?? Number.POSITIVE_INFINITY };
    },
    clearRateLimit() {
      limited = undefined;
    },
    dropNextResponse() {
      dropNext = true;
    },
    close: () => upstream.close(),
    [Symbol.asyncDispose]: () => upstream.close(),
  };
}

function seedDefaults(desk: ZendeskDesk, customerField: number): void {
  desk.seed({
    subject: 'Cannot log in to the dashboard',
    description: 'Since this morning the login page says my password is wrong.',
    status: 'open',
    priority: 'high',
    requesterEmail: 'alice@example.com',
    assigneeEmail: 'agent@example.com',
    tags: ['login', 'vip'],
    customFields: { [customerField]: 'C-1001' },
    comments: [
      {
        body: 'Checked the SSO logs: the account is locked.',
        public: false,
        authorEmail: 'agent@example.com',
      },
      { body: 'We unlocked your account, please try again.', authorEmail: 'agent@example.com' },
    ],
  });
  desk.seed({
    subject: 'Refund for order 1234',
    description: 'I was charged twice for order 1234.',
    status: 'pending',
    requesterEmail: 'bob@example.com',
    tags: ['billing'],
    customFields: { [customerField]: 'C-1002' },
  });
  desk.seed({
    subject: 'Invoice copy please',
    description: 'Could you send me a copy of the March invoice?',
    status: 'solved',
    priority: 'low',
    requesterEmail: 'alice@example.com',
    assigneeEmail: desk.apiUser.email,
    tags: ['billing'],
    customFields: { [customerField]: 'C-1001' },
  });
}
