import { describe, expect, it } from 'vitest';
import { startFakeGitHub } from './fake-github.js';

const UA = { 'user-agent': 'fake-github-test' };

function get(
  url: string,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    headers: { ...UA, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

describe('startFakeGitHub', () => {
  it('wants a token, as Bearer or token, and says "Bad credentials" for a wrong one', async () => {
    await using gh = await startFakeGitHub({ token: 'ghp_right' });
    const none = await get(`${gh.url}/repos/octo-org/hello-world`, undefined);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'Requires authentication' });
    const wrong = await get(`${gh.url}/repos/octo-org/hello-world`, 'ghp_wrong');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    const legacy = await fetch(`${gh.url}/repos/octo-org/hello-world`, {
      headers: { ...UA, authorization: 'token ghp_right' },
    });
    expect(legacy.status).toBe(200);
  });

  it('refuses a request without User-Agent or with an API version it does not know', async () => {
    await using gh = await startFakeGitHub();
    const anonymous = await fetch(`${gh.url}/rate_limit`, {
      headers: { authorization: `Bearer ${gh.token}`, 'user-agent': '' },
    });
    expect(anonymous.status).toBe(403);
    const future = await get(`${gh.url}/rate_limit`, gh.token, { 'x-github-api-version': '1999-01-01' });
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ message: "API version '1999-01-01' is not supported." });
  });

  it('pages lists with per_page and page, and a Link header with next, last, prev and first', async () => {
    await using gh = await startFakeGitHub();
    const first = await get(`${gh.url}/repos/octo-org/hello-world/commits?per_page=2`, gh.token);
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const base = `${gh.origin}/repos/octo-org/hello-world/commits?per_page=2`;
    expect(first.headers.get('link')).toBe(`<${base}&page=2>; rel="next", <${base}&page=3>; rel="last"`);
    const middle = await get(`${gh.url}/repos/octo-org/hello-world/commits?per_page=2&page=2`, gh.token);
    expect(middle.headers.get('link')).toBe(
      `<${base}&page=1>; rel="prev", <${base}&page=3>; rel="next", <${base}&page=3>; rel="last", <${base}&page=1>; rel="first"`,
    );
    const last = await get(`${gh.url}/repos/octo-org/hello-world/commits?per_page=2&page=3`, gh.token);
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const all = await get(`${gh.url}/repos/octo-org/hello-world/commits`, gh.token);
    expect(all.headers.get('link')).toBeNull();
  });

  it('serves under an Enterprise base path, with it in every URL it writes', async () => {
    await using gh = await startFakeGitHub({ basePath: '/api/v3' });
    expect(gh.url).toBe(`${gh.origin}/api/v3`);
    const res = await get(`${gh.url}/repos/octo-org/hello-world/issues?per_page=1`, gh.token);
    expect(res.headers.get('link')).toContain(
      `<${gh.origin}/api/v3/repos/octo-org/hello-world/issues?per_page=1&page=2>`,
    );
    const [issue] = (await res.json()) as { url: string }[];
    expect(issue?.url).toMatch(new RegExp(`^${gh.origin}/api/v3/repos/octo-org/hello-world/issues/\\d+$`));
    expect(gh.requestsTo('GET', '/repos/octo-org/hello-world/issues')).toHaveLength(1);
    expect((await get(`${gh.origin}/repos/octo-org/hello-world`, gh.token)).status).toBe(404);
  });

  it('reports its quota on every answer, counts search apart, and does not count /rate_limit', async () => {
    await using gh = await startFakeGitHub({ rateLimits: { search: 2 } });
    const repo = await get(`${gh.url}/repos/octo-org/hello-world`, gh.token);
    expect(repo.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(repo.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(repo.headers.get('x-ratelimit-used')).toBe('1');
    expect(repo.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(repo.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const overview = await get(`${gh.url}/rate_limit`, gh.token);
    expect(await overview.json()).toMatchObject({
      rate: { limit: 5000, remaining: 4999, used: 1 },
      resources: { search: { limit: 2, remaining: 2 } },
    });
    await get(`${gh.url}/search/repositories?q=cli`, gh.token);
    const lastSearch = await get(`${gh.url}/search/repositories?q=cli`, gh.token);
    expect(lastSearch.headers.get('x-ratelimit-remaining')).toBe('0');
    const refused = await get(`${gh.url}/search/repositories?q=cli`, gh.token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-ratelimit-resource')).toBe('search');
    expect(((await refused.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
  });

  it('plays each rate-limit fault once, on the next request', async () => {
    await using gh = await startFakeGitHub();
    gh.primaryRateLimit({ resetInSeconds: 90 }).secondaryRateLimit(30, { status: 429 });
    const primary = await get(`${gh.url}/repos/octo-org/hello-world`, gh.token);
    expect(primary.status).toBe(403);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(
      Number(primary.headers.get('x-ratelimit-reset')) - Math.floor(Date.now() / 1000),
    ).toBeGreaterThanOrEqual(89);
    expect(primary.headers.get('retry-after')).toBeNull();
    const secondary = await get(`${gh.url}/repos/octo-org/hello-world`, gh.token);
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get('retry-after')).toBe('30');
    expect(Number(secondary.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect(((await secondary.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await get(`${gh.url}/repos/octo-org/hello-world`, gh.token)).status).toBe(200);
  });

  it('creates issues with the next number, and keeps what it answered', async () => {
    await using gh = await startFakeGitHub();
    const created = await fetch(`${gh.url}/repos/octo-org/hello-world/issues`, {
      method: 'POST',
      headers: { ...UA, authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'New', labels: ['bug'] }),
    });
    expect(created.status).toBe(201);
    const issue = (await created.json()) as { number: number; url: string };
    expect(issue.number).toBe(9);
    expect(created.headers.get('location')).toBe(issue.url);
    expect(gh.world.issue(gh.world.repository('octo-org', 'hello-world')!, 9)?.title).toBe('New');
    expect(gh.exchanges.map((x) => [x.request.method, x.response.status])).toEqual([['POST', 201]]);
    const invalid = await fetch(`${gh.url}/repos/octo-org/hello-world/issues`, {
      method: 'POST',
      headers: { ...UA, authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'no title' }),
    });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
    });
  });

  it('hides a private repository from a token that cannot see it, with a 404', async () => {
    await using gh = await startFakeGitHub({ login: 'monalisa' });
    expect((await get(`${gh.url}/repos/octo-org/secret-plans`, gh.token)).status).toBe(404);
    const search = await get(`${gh.url}/search/repositories?q=roadmap`, gh.token);
    expect(await search.json()).toMatchObject({ total_count: 0, items: [] });
  });
});
