import { afterEach, describe, expect, it } from 'vitest';
import { type FakeZendesk, startFakeZendesk } from './fake-zendesk.js';

let fake: FakeZendesk;
afterEach(async () => {
  await fake.close();
});

async function get(path: string, auth = `${fake.email}/token:${fake.apiToken}`) {
  const res = await fetch(`${fake.url}${path}`, {
    headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('fake Zendesk', () => {
  it('accepts only `{email}/token:{api_token}` Basic auth, answering Zendesk’s 401 otherwise', async () => {
    fake = await startFakeZendesk({ email: 'bot@acme.test', apiToken: 't0k' });
    expect((await get('/api/v2/users/me')).json).toMatchObject({
      user: { id: 1000, email: 'bot@acme.test' },
    });
    for (const wrong of ['bot@acme.test:t0k', 'bot@acme.test/token:other', 'eve@acme.test/token:t0k']) {
      const res = await get('/api/v2/users/me', wrong);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "Couldn't authenticate you" });
    }
  });

  it('serves the .json forms, 404 RecordNotFound, and offset pages of comments', async () => {
    fake = await startFakeZendesk();
    expect((await get('/api/v2/tickets/1.json')).json).toMatchObject({
      ticket: { id: 1, status: 'open', url: `${fake.url}/api/v2/tickets/1.json` },
    });
    expect(await get('/api/v2/tickets/77')).toMatchObject({
      status: 404,
      json: { error: 'RecordNotFound', description: 'Not found' },
    });
    const page = await get('/api/v2/tickets/1/comments.json?per_page=2');
    expect(page.json).toMatchObject({
      count: 3,
      previous_page: null,
      next_page: `${fake.url}/api/v2/tickets/1/comments.json?page=2&per_page=2`,
    });
    expect((page.json.comments as unknown[]).length).toBe(2);
    expect((await get('/api/v2/tickets/1/comments?page[size]=2&page[after]=bogus')).status).toBe(400);
  });

  it('understands the documented subset of the search syntax', async () => {
    fake = await startFakeZendesk();
    const ids = async (query: string) =>
      ((await get(`/api/v2/search?${new URLSearchParams({ query })}`)).json.results as { id: number }[]).map(
        (r) => r.id,
      );
    expect(await ids('type:ticket status:open')).toEqual([1]);
    expect(await ids('status<solved')).toEqual([1, 2]);
    expect(await ids('status>pending')).toEqual([3]);
    expect(await ids('tags:billing -status:solved')).toEqual([2]);
    expect(await ids('requester:alice@example.com')).toEqual([1, 3]);
    expect(await ids('assignee:none')).toEqual([2]);
    expect(await ids('"march invoice"')).toEqual([3]);
    expect(await ids('unlocked')).toEqual([1]);
    expect(await ids('brand:x')).toEqual([]);
    expect((await get('/api/v2/search/export?query=x')).status).toBe(400);
  });

  it('creates one ticket per Idempotency-Key: a repeat is a hit, another body with the key is refused', async () => {
    fake = await startFakeZendesk();
    const post = (body: unknown, key: string) =>
      fetch(`${fake.url}/api/v2/tickets`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${fake.email}/token:${fake.apiToken}`).toString('base64')}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      });
    const ticket = { ticket: { subject: 'Printer offline', comment: { body: 'Restarting does not help.' } } };
    const first = await post(ticket, 'k-1');
    expect([first.status, first.headers.get('x-idempotency-lookup')]).toEqual([201, 'miss']);
    const again = await post(ticket, 'k-1');
    expect([again.status, again.headers.get('x-idempotency-lookup')]).toEqual([201, 'hit']);
    expect(await again.json()).toEqual(await first.json());
    const other = await post({ ticket: { ...ticket.ticket, subject: 'Other' } }, 'k-1');
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: 'IdempotentRequestError' });
    expect(fake.tickets).toHaveLength(4);
  });

  it('rate limits on demand with Retry-After, before checking credentials', async () => {
    fake = await startFakeZendesk();
    fake.rateLimit(7, { times: 1 });
    const limited = await get('/api/v2/users/me', 'nobody/token:x');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await get('/api/v2/users/me')).status).toBe(200);
  });
});
