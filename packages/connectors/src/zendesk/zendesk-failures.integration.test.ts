import { createIntegration, isIntegrationError, REDACTED } from '@patchbay/core';
import { logSink, rejectionOf, reply } from '@patchbay/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startZendeskRig, type ZendeskRig } from './test-setup.js';
import { zendeskIntegration } from './zendesk.js';

let rig: ZendeskRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

describe('zendesk failures', () => {
  it('404 RecordNotFound is a permanent error that says so, not retried', async () => {
    rig = await startZendeskRig();
    const error = await failure(rig.zendesk.call('get_ticket', { ticketId: 999 }));
    expect(error.type).toBe('IntegrationPermanentError');
    expect(error.status).toBe(404);
    expect(error.message).toMatch(
      /^Zendesk RecordNotFound \(HTTP 404\): Not found on GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/tickets\/999$/,
    );
    expect(error.operation).toBe('get_ticket');
    expect(rig.fake.requests).toHaveLength(1);
  });

  it('422 RecordInvalid carries each field’s problem as issues', async () => {
    rig = await startZendeskRig();
    const error = await failure(
      rig.zendesk.call('update_ticket', { ticketId: 2, assigneeEmail: 'bob@example.com', priority: 'low' }),
    );
    expect(error.type).toBe('IntegrationPermanentError');
    expect(error.status).toBe(422);
    expect(error.message).toContain(
      'Zendesk RecordInvalid (HTTP 422): Record validation errors; Assignee: is not an agent',
    );
    expect(error.issues).toEqual([{ path: 'assignee', message: 'Assignee: is not an agent' }]);
    expect(rig.fake.ticket(2)?.priority).toBe('normal');

    await rig.zendesk.call('update_ticket', { ticketId: 3, status: 'closed' });
    const closed = await failure(rig.zendesk.call('add_comment', { ticketId: 3, body: 'one more thing' }));
    expect(closed.issues).toEqual([{ path: 'status', message: 'Status: closed prevents ticket update' }]);
  });

  it('the fake answers 422 for a ticket without subject or comment, as Zendesk does', async () => {
    rig = await startZendeskRig();
    const { fake } = rig;
    const res = await fetch(`${fake.url}/api/v2/tickets.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${fake.email}/token:${fake.apiToken}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ticket: { priority: 'high' } }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: {
        subject: [{ description: 'Subject: cannot be blank', error: 'BlankValue' }],
        base: [
          { description: 'Description: cannot be blank', error: 'BlankValue', field_key: 'description' },
        ],
      },
    });
  });

  it('401 is an auth error, not retried', async () => {
    rig = await startZendeskRig({ config: { apiToken: 'not-the-right-token' } });
    const error = await failure(rig.zendesk.call('get_ticket', { ticketId: 1 }));
    expect(error.type).toBe('IntegrationAuthError');
    expect(error.status).toBe(401);
    expect(error.message).toContain("Couldn't authenticate you");
    expect(rig.fake.requests).toHaveLength(1);
    expect((await rig.zendesk.healthCheck()).status).toBe('error');
  });

  it('429 with Retry-After is waited out, then the call succeeds', async () => {
    rig = await startZendeskRig();
    rig.fake.rateLimit(1, { times: 1 });
    const status = await rig.zendesk.call('get_ticket_status', { ticketId: 1 });
    expect(status.status).toBe('open');
    expect(rig.fake.requests).toHaveLength(2);
  });

  it('429 asking for longer than the retry cap fails at once as IntegrationRateLimited with the wait', async () => {
    rig = await startZendeskRig();
    rig.fake.rateLimit(120);
    const error = await failure(
      rig.zendesk.call('create_ticket', { subject: 'Hi', description: 'Please call me back.' }),
    );
    expect(error.type).toBe('IntegrationRateLimited');
    expect(error.retryAfter).toBe(120);
    expect(error.retryable).toBe(true);
    expect(rig.fake.requests).toHaveLength(1);
    expect(rig.fake.tickets).toHaveLength(3);
  });

  it('a create whose answer is lost is retried with the same key: one ticket, the replayed answer', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    fake.dropNextResponse();
    const created = await zendesk.call('create_ticket', { subject: 'Lost answer', description: 'Hello?' });
    expect(created.ticketId).toBe(4);
    const sent = fake.requestsTo('POST', '/api/v2/tickets');
    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
    expect(fake.tickets.filter((t) => t.subject === 'Lost answer')).toHaveLength(1);

    await zendesk.call(
      'create_ticket',
      { subject: 'Keyed', description: 'by the caller' },
      { idempotencyKey: 'job-7' },
    );
    expect(fake.requestsTo('POST', '/api/v2/tickets')[2]?.headers['idempotency-key']).toBe('job-7');
  });

  it('add_comment is never sent twice: a lost answer or a 429 fails at once', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const before = fake.ticket(2)?.comments.length ?? 0;
    fake.dropNextResponse();
    const lost = await failure(zendesk.call('add_comment', { ticketId: 2, body: 'Only once, please.' }));
    expect(lost).toMatchObject({ type: 'IntegrationTemporaryError', code: 'CONNECTION_RESET' });
    expect(fake.requestsTo('PUT', '/api/v2/tickets/2')).toHaveLength(1);
    expect(fake.ticket(2)?.comments.length).toBe(before + 1);

    fake.rateLimit(1, { times: 1 });
    const limited = await failure(zendesk.call('add_comment', { ticketId: 2, body: 'Later.' }));
    expect(limited).toMatchObject({ type: 'IntegrationRateLimited', retryAfter: 1 });
    expect(fake.requestsTo('PUT', '/api/v2/tickets/2')).toHaveLength(2);
    expect(fake.ticket(2)?.comments.length).toBe(before + 1);
  });

  it('never leaks the API token into errors or logs, even when Zendesk echoes the credentials', async () => {
    const canary = 'zd-canary-token-5e1f0a9b';
    const sink = logSink();
    rig = await startZendeskRig({
      fake: { apiToken: canary },
      logger: pino({ level: 'trace' }, sink),
      client: { retry: { maxRetries: 1, initialDelay: 1 }, logResponseBody: true },
    });
    const { fake, zendesk } = rig;
    fake.upstream.on('GET', '/api/v2/tickets/:id', (req) =>
      reply.json(500, {
        error: 'InternalError',
        authorization: req.headers.authorization,
        token: canary,
      }),
    );
    fake.upstream.on('PUT', '/api/v2/tickets/:id', (req) =>
      reply.json(422, {
        error: 'RecordInvalid',
        description: `bad ${req.headers.authorization}`,
        details: {},
      }),
    );
    const encoded = Buffer.from(`${fake.email}/token:${canary}`).toString('base64');
    const errors = [
      await failure(zendesk.call('get_ticket', { ticketId: 1 })),
      await failure(zendesk.call('add_comment', { ticketId: 1, body: `my token is ${canary}` })),
    ];
    expect(errors.map((e) => e.status)).toEqual([500, 422]);
    // The upstream did echo the credentials: what reached us was hidden, not absent.
    expect(errors[0]?.body).toContain(REDACTED);
    for (const error of errors) {
      const text = `${error.message} ${JSON.stringify(error)} ${error.body} ${error.stack}`;
      expect(text).not.toContain(canary);
      expect(text).not.toContain(encoded);
    }
    expect(sink.lines.length).toBeGreaterThan(0);
    expect(sink.text()).not.toContain(canary);
    expect(sink.text()).not.toContain(encoded);
  });
});

describe('zendesk configuration', () => {
  const env = {
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_EMAIL: 'bot@acme.example',
    ZENDESK_API_TOKEN: 'tok-123',
    ZENDESK_CUSTOMER_ID_FIELD_ID: '360012345678',
  };

  it('reads the env names, builds the base URL from the subdomain, and coerces the field id', () => {
    const zendesk = createIntegration(zendeskIntegration, { env, logger: false, metricsRegistry: false });
    expect(zendesk.requireConfig()).toEqual({
      subdomain: 'acme',
      email: 'bot@acme.example',
      apiToken: 'tok-123',
      customerIdFieldId: 360012345678,
    });
    expect(zendeskIntegration.baseUrl?.(zendesk.requireConfig())).toBe('https://acme.zendesk.com');
    const mapped = { ...env, ZENDESK_BASE_URL: 'https://support.acme.example/' };
    const custom = createIntegration(zendeskIntegration, {
      env: mapped,
      logger: false,
      metricsRegistry: false,
    });
    expect(zendeskIntegration.baseUrl?.(custom.requireConfig())).toBe('https://support.acme.example');
    expect(zendesk.secretFields).toEqual(['apiToken']);
  });

  it('is not configured without a subdomain or base URL, naming the field and never the token', () => {
    const zendesk = createIntegration(zendeskIntegration, {
      env: { ZENDESK_EMAIL: 'bot@acme.example', ZENDESK_API_TOKEN: 'tok-secret-999' },
      logger: false,
    });
    expect(() => zendesk.requireConfig()).toThrow(/config\.baseUrl: give baseUrl or subdomain/);
    expect(() => zendesk.requireConfig()).not.toThrow(/tok-secret-999/);
  });
});
