import { MemoryStore } from '@patchbay/core';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { startZendeskRig, type ZendeskRig } from './test-setup.js';

let rig: ZendeskRig;
afterEach(async () => {
  await rig.close();
});

const basicAuth = (email: string, token: string) =>
  `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;

describe('zendesk operations over real HTTP', () => {
  it('create_ticket posts {ticket} with the first comment, priority, customer id field, requester and tags', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const created = await zendesk.call('create_ticket', {
      subject: 'Charged twice',
      description: 'Order 77 was charged twice.',
      priority: 'urgent',
      customerId: 'C-42',
      requester: { email: 'carol@example.com', name: 'Carol' },
      tags: ['billing', 'refund'],
    });
    expectTypeOf(created).toEqualTypeOf<{ ticketId: number; status: string; url: string }>();
    expect(created).toEqual({ ticketId: 4, status: 'new', url: `${fake.url}/agent/tickets/4` });

    const [sent] = fake.requestsTo('POST', '/api/v2/tickets');
    expect(sent?.headers.authorization).toBe(basicAuth(fake.email, fake.apiToken));
    expect(sent?.headers['idempotency-key']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.json()).toEqual({
      ticket: {
        subject: 'Charged twice',
        comment: { body: 'Order 77 was charged twice.', public: true },
        priority: 'urgent',
        custom_fields: [{ id: fake.customerIdFieldId, value: 'C-42' }],
        requester: { email: 'carol@example.com', name: 'Carol' },
        tags: ['billing', 'refund'],
      },
    });
    const stored = fake.ticket(4);
    expect(stored?.requester_id).toBe(fake.user('carol@example.com')?.id);
    expect(stored?.comments.map((c) => c.body)).toEqual(['Order 77 was charged twice.']);
  });

  it('create_ticket with a customer id but no customerIdFieldId fails before any request', async () => {
    rig = await startZendeskRig({ config: { customerIdFieldId: undefined } });
    await expect(
      rig.zendesk.call('create_ticket', { subject: 's', description: 'd', customerId: 'C-1' }),
    ).rejects.toMatchObject({
      type: 'IntegrationNotConfigured',
      message: expect.stringMatching(/customerIdFieldId/),
    });
    expect(rig.fake.requests).toHaveLength(0);
  });

  it('get_ticket_status sideloads users for the assignee email, and is cached for 300 s', async () => {
    let now = 1_000_000;
    rig = await startZendeskRig({ store: new MemoryStore(() => now) });
    const { fake, zendesk } = rig;
    const status = await zendesk.call('get_ticket_status', { ticketId: 1 });
    expect(status).toEqual({
      ticketId: 1,
      status: 'open',
      assigneeId: 1001,
      assignedTo: 'agent@example.com',
      lastUpdated: fake.ticket(1)?.updated_at,
    });
    const [sent] = fake.requests;
    expect(sent?.method).toBe('GET');
    expect(sent?.url).toBe('/api/v2/tickets/1?include=users');

    now += 299_000;
    expect(await zendesk.call('get_ticket_status', { ticketId: 1 })).toEqual(status);
    expect(fake.requests).toHaveLength(1);
    expect(zendesk.cache.stats).toEqual({ hits: 1, misses: 1 });

    now += 2_000;
    await zendesk.call('get_ticket_status', { ticketId: 1 });
    expect(fake.requests).toHaveLength(2);
  });

  it('get_ticket returns the ticket in the connector’s shape, customer id read from its field', async () => {
    rig = await startZendeskRig();
    const ticket = await rig.zendesk.call('get_ticket', { ticketId: 2 });
    expect(ticket).toEqual({
      id: 2,
      url: `${rig.fake.url}/agent/tickets/2`,
      subject: 'Refund for order 1234',
      description: 'I was charged twice for order 1234.',
      status: 'pending',
      priority: 'normal',
      type: null,
      requesterId: rig.fake.user('bob@example.com')?.id,
      assigneeId: null,
      tags: ['billing'],
      customerId: 'C-1002',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updatedAt: expect.any(String),
    });
    expect(rig.fake.requests[0]?.url).toBe('/api/v2/tickets/2');
  });

  it('add_comment updates the ticket with an internal note and returns the comment id from the audit', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const added = await zendesk.call('add_comment', {
      ticketId: 2,
      body: 'Refund approved by finance.',
      public: false,
    });
    const note = fake.ticket(2)?.comments.at(-1);
    expect(added).toEqual({ commentId: note?.id, ticketId: 2, public: false });
    expect(note).toMatchObject({ body: 'Refund approved by finance.', public: false });
    const [sent] = fake.requestsTo('PUT', '/api/v2/tickets/2');
    expect(sent?.json()).toEqual({
      ticket: { comment: { body: 'Refund approved by finance.', public: false } },
    });

    const reply = await zendesk.call('add_comment', { ticketId: 2, body: 'Your refund is on its way.' });
    expect(reply.public).toBe(true);
    expect(fake.ticket(2)?.comments.at(-1)?.public).toBe(true);
  });

  it('update_ticket sends only the fields given and returns the changed ticket', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const updated = await zendesk.call('update_ticket', {
      ticketId: 2,
      status: 'open',
      priority: 'high',
      assigneeEmail: 'agent@example.com',
    });
    expect(updated).toMatchObject({ id: 2, status: 'open', priority: 'high', assigneeId: 1001 });
    expect(fake.requestsTo('PUT', '/api/v2/tickets/2')[0]?.json()).toEqual({
      ticket: { status: 'open', priority: 'high', assignee_email: 'agent@example.com' },
    });
    await zendesk.call('update_ticket', { ticketId: 2, assigneeId: null });
    expect(fake.requestsTo('PUT', '/api/v2/tickets/2')[1]?.json()).toEqual({ ticket: { assignee_id: null } });
    expect(fake.ticket(2)?.assignee_id).toBeNull();
    // @ts-expect-error: the compiler knows the priorities too
    await expect(zendesk.call('update_ticket', { ticketId: 2, priority: 'asap' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
    });
    await expect(zendesk.call('update_ticket', { ticketId: 2 })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'status', message: expect.stringMatching(/at least one/) }],
    });
  });

  it('search_tickets pages by offset through /search with type:ticket implied', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const first = await zendesk.call('search_tickets', { query: 'tags:billing', perPage: 1 });
    expect(first).toMatchObject({ count: 2, nextPage: 2, nextCursor: null, hasMore: true });
    expect(first.tickets.map((t) => t.id)).toEqual([2]);
    expect(fake.requests[0]?.query).toEqual({ query: 'type:ticket tags:billing', page: '1', per_page: '1' });

    const second = await zendesk.call('search_tickets', { query: 'tags:billing', perPage: 1, page: 2 });
    expect(second.tickets.map((t) => t.id)).toEqual([3]);
    expect(second).toMatchObject({ nextPage: null, hasMore: false });

    const sorted = await zendesk.call('search_tickets', {
      query: 'type:ticket status<solved',
      sortBy: 'created_at',
      sortOrder: 'asc',
    });
    expect(sorted.tickets.map((t) => t.id)).toEqual([1, 2]);
    expect(fake.requests[2]?.query).toMatchObject({
      query: 'type:ticket status<solved',
      sort_by: 'created_at',
    });
  });

  it('search_tickets walks /search/export by cursor', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const first = await zendesk.call('search_tickets', {
      query: 'status<closed',
      paging: 'cursor',
      perPage: 2,
    });
    expect(first.tickets.map((t) => t.id)).toEqual([1, 2]);
    expect(first).toMatchObject({
      count: null,
      nextPage: null,
      hasMore: true,
      nextCursor: expect.any(String),
    });
    expect(fake.requests[0]?.path).toBe('/api/v2/search/export');
    expect(fake.requests[0]?.query).toEqual({
      query: 'status<closed',
      'filter[type]': 'ticket',
      'page[size]': '2',
    });

    const rest = await zendesk.call('search_tickets', {
      query: 'status<closed',
      paging: 'cursor',
      perPage: 2,
      cursor: first.nextCursor as string,
    });
    expect(rest.tickets.map((t) => t.id)).toEqual([3]);
    expect(rest).toMatchObject({ hasMore: false, nextCursor: null });
    expect(fake.requests[1]?.query['page[after]']).toBe(first.nextCursor);

    await expect(zendesk.call('search_tickets', { query: 'x', cursor: 'abc' })).rejects.toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'cursor' }],
    });
  });

  it('list_ticket_comments pages by cursor, internal notes marked not public', async () => {
    rig = await startZendeskRig();
    const { fake, zendesk } = rig;
    const first = await zendesk.call('list_ticket_comments', { ticketId: 1, perPage: 2 });
    expect(first.comments.map((c) => [c.body.slice(0, 12), c.public])).toEqual([
      ['Since this m', true],
      ['Checked the ', false],
    ]);
    expect(first.hasMore).toBe(true);
    expect(fake.requests[0]?.path).toBe('/api/v2/tickets/1/comments');
    expect(fake.requests[0]?.query).toEqual({ 'page[size]': '2', sort_order: 'asc' });

    const rest = await zendesk.call('list_ticket_comments', {
      ticketId: 1,
      perPage: 2,
      cursor: first.nextCursor as string,
    });
    expect(rest.comments.map((c) => c.body)).toEqual(['We unlocked your account, please try again.']);
    expect(rest).toMatchObject({ hasMore: false, nextCursor: null });
    expect(rest.comments[0]?.authorId).toBe(1001);
  });

  it('reports healthy from GET /api/v2/users/me', async () => {
    rig = await startZendeskRig();
    expect(await rig.zendesk.healthCheck()).toMatchObject({ name: 'zendesk', status: 'ready' });
    expect(rig.fake.requests.map((r) => r.path)).toEqual(['/api/v2/users/me']);
  });
});
