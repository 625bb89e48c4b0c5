import {
  IntegrationAuthError,
  IntegrationPermanentError,
  IntegrationRateLimited,
  isErrorType,
  isIntegrationError,
} from '@patchbay/core';
import { rejectionOf } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { startGitHubUnderTest } from './github-test-kit.js';

const REPO = { owner: 'octo-org', repo: 'hello-world' };

/** The IntegrationError a call failed with. */
const failure = (call: Promise<unknown>) => rejectionOf(call, isIntegrationError);

describe('github errors', () => {
  it('a create_issue that got a 502 is not sent again, even with an idempotency key (GitHub ignores keys)', async () => {
    await using t = await startGitHubUnderTest();
    t.fake.failNext({ status: 502, json: { message: 'Server Error' } });
    const before = t.fake.requests.filter((r) => r.method === 'POST').length;
    const error = await failure(
      t.gh.call('create_issue', { ...REPO, title: 'Only once' }, { idempotencyKey: 'bus-key-1' }),
    );
    expect(error.status).toBe(502);
    const posts = t.fake.requests.filter((r) => r.method === 'POST').slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('a bad token is an auth error, not retried', async () => {
    await using t = await startGitHubUnderTest({
      config: { token: 'ghp_revoked0000000000000000000000000000' },
    });
    const error = await failure(t.gh.call('get_repository', REPO));
    expect(error).toBeInstanceOf(IntegrationAuthError);
    expect(error).toMatchObject({
      status: 401,
      retryable: false,
      integration: 'github',
      operation: 'get_repository',
    });
    expect(error.message).toContain('Bad credentials');
    expect(t.fake.requests).toHaveLength(1);
    expect((await t.gh.healthCheck()).status).toBe('error');
  });

  it("a missing repository is a permanent error in GitHub's words, not retried", async () => {
    await using t = await startGitHubUnderTest();
    const error = await failure(t.gh.call('get_repository', { owner: 'octo-org', repo: 'nope' }));
    expect(error).toBeInstanceOf(IntegrationPermanentError);
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect(error.message).toMatch(
      /^GitHub: Not Found \(HTTP 404\) on GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/nope$/,
    );
    expect(t.fake.requests).toHaveLength(1);
  });

  it('a 422 Validation Failed names each field GitHub rejected', async () => {
    await using t = await startGitHubUnderTest();
    const error = await failure(
      t.gh.call('create_issue', { ...REPO, title: 'Assign it', assignees: ['nobody'], milestone: 99 }),
    );
    expect(error).toBeInstanceOf(IntegrationPermanentError);
    expect(error).toMatchObject({
      status: 422,
      retryable: false,
      issues: [
        { path: 'assignees', message: 'invalid (nobody)' },
        { path: 'milestone', message: 'invalid (99)' },
      ],
    });
    expect(error.message).toContain(
      'GitHub: Validation Failed (assignees: invalid (nobody); milestone: invalid (99)) (HTTP 422) on POST',
    );
    expect(t.fake.world.repository('octo-org', 'hello-world')?.issues).toHaveLength(8);
  });

  it('a 403 without rate-limit signals stays an auth error (no permission, archived repository)', async () => {
    await using t = await startGitHubUnderTest();
    const archived = await failure(
      t.gh.call('create_issue', { owner: 'defunkt', repo: 'dotfiles', title: 'x' }),
    );
    expect(archived).toBeInstanceOf(IntegrationAuthError);
    expect(archived).toMatchObject({ status: 403, retryable: false });
    expect(archived.message).toContain('Repository was archived so is read-only.');

    t.fake.failNext({
      status: 403,
      json: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    const denied = await failure(t.gh.call('get_issue', { ...REPO, issue_number: 1 }));
    expect(denied).toBeInstanceOf(IntegrationAuthError);
    expect(isErrorType(denied, 'IntegrationRateLimited')).toBe(false);
  });

  it('retries a 5xx and answers from the next attempt', async () => {
    await using t = await startGitHubUnderTest();
    t.fake.failNext({ status: 502, json: { message: 'Server Error' } });
    const repo = await t.gh.call('get_repository', REPO);
    expect(repo.full_name).toBe('octo-org/hello-world');
    expect(t.fake.requests.map((r) => r.url)).toEqual([
      '/repos/octo-org/hello-world',
      '/repos/octo-org/hello-world',
    ]);
  });
});

describe('github rate limits', () => {
  it('primary: a 403 with x-ratelimit-remaining 0 is IntegrationRateLimited until the reset, and pauses every caller', async () => {
    await using t = await startGitHubUnderTest();
    t.fake.primaryRateLimit({ resetInSeconds: 1800 });
    const error = await failure(t.gh.call('list_issues', REPO));
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error).toMatchObject({ status: 403, retryable: true });
    const retryAfter = error.retryAfter ?? 0;
    // The reset is written in whole epoch seconds: 1800 s from the fake's clock, give or take its rounding.
    expect(retryAfter).toBeGreaterThanOrEqual(1799);
    expect(retryAfter).toBeLessThanOrEqual(1800);
    expect(error.toJSON()).toMatchObject({ type: 'IntegrationRateLimited', retryAfter });
    expect(error.message).toContain('API rate limit exceeded');
    // Far beyond the retry cap: not slept through, and the next caller is refused without a request.
    expect(t.fake.requests).toHaveLength(1);
    const next = await failure(t.gh.call('get_issue', { ...REPO, issue_number: 1 }));
    expect(next).toBeInstanceOf(IntegrationRateLimited);
    expect(next).toMatchObject({ requestSent: false });
    expect(next.retryAfter).toBeGreaterThanOrEqual(1798);
    expect(t.fake.requests).toHaveLength(1);
  });

  it('primary: GitHub may answer 429 instead of 403, with the same meaning', async () => {
    await using t = await startGitHubUnderTest();
    t.fake.primaryRateLimit({ resetInSeconds: 600, status: 429 });
    const error = await failure(t.gh.call('get_repository', REPO));
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error.retryAfter).toBeGreaterThanOrEqual(598);
    expect(error.retryAfter).toBeLessThanOrEqual(600);
    expect(t.fake.requests).toHaveLength(1);
  });

  it('secondary: a 403 with retry-after is IntegrationRateLimited carrying that wait', async () => {
    await using t = await startGitHubUnderTest();
    t.fake.secondaryRateLimit(120);
    const error = await failure(t.gh.call('create_issue', { ...REPO, title: 'Too fast' }));
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error).toMatchObject({ status: 403, retryAfter: 120 });
    expect(error.message).toContain('secondary rate limit');
    expect(t.fake.requests).toHaveLength(1);
  });

  it('secondary: a short retry-after is waited out, never cut short, and the call succeeds', async () => {
    await using t = await startGitHubUnderTest();
    t.fake.secondaryRateLimit(1, { status: 429 });
    const repo = await t.gh.call('get_repository', REPO);
    expect(repo.full_name).toBe('octo-org/hello-world');
    const [first, second] = t.fake.requests;
    expect(t.fake.requests).toHaveLength(2);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it("secondary: a 403 whose message alone names the limit waits GitHub's documented minute", async () => {
    await using t = await startGitHubUnderTest();
    t.fake.secondaryRateLimit();
    const error = await failure(t.gh.call('comment_on_issue', { ...REPO, issue_number: 1, body: 'hi' }));
    expect(error).toBeInstanceOf(IntegrationRateLimited);
    expect(error).toMatchObject({ status: 403, retryAfter: 60, retryable: true });
    expect(error.message).toMatch(
      /^GitHub rate limit \(HTTP 403, retry after 60s\) on POST .*: You have exceeded a secondary rate limit/,
    );
  });
});

describe('github secrets', () => {
  it('never puts the token in an error message, its JSON, its body or its URL', async () => {
    const canary = 'ghp_CANARY0123456789abcdefghijklmnopqrstuv';
    await using t = await startGitHubUnderTest({ fake: { token: canary } });
    // An upstream that echoes the credential back, as some error pages do.
    t.fake.on('GET', '/repos/octo-org/echo', (req) => ({
      status: 400,
      json: { message: `Bad request with ${String(req.headers.authorization)}` },
    }));
    const errors = [
      await failure(t.gh.call('get_repository', { owner: 'octo-org', repo: 'nope' })),
      await failure(t.gh.call('create_issue', { ...REPO, title: 'x', assignees: ['nobody'] })),
      await failure(t.gh.call('get_repository', { owner: 'octo-org', repo: 'echo' })),
    ];
    t.fake.secondaryRateLimit(300);
    errors.push(await failure(t.gh.call('get_repository', REPO)));
    errors.push(await failure(t.gh.call('get_issue', { ...REPO, issue_number: 1 })));
    // The canary as a token GitHub refuses.
    await using refused = await startGitHubUnderTest({ config: { token: canary.replace('ghp_', 'ghs_') } });
    errors.push(await failure(refused.gh.call('list_issues', REPO)));
    expect(errors.map((e) => e.type)).toEqual([
      'IntegrationPermanentError',
      'IntegrationPermanentError',
      'IntegrationPermanentError',
      'IntegrationRateLimited',
      'IntegrationRateLimited',
      'IntegrationAuthError',
    ]);
    for (const error of errors) {
      const seen = [
        error.message,
        JSON.stringify(error),
        String(error.body),
        String(error.url),
        error.stack ?? '',
      ].join('\n');
      expect(seen).not.toContain(canary);
      expect(seen).not.toContain('CANARY');
    }
    expect(t.fake.requestsTo('GET', '/repos/octo-org/echo')[0]?.headers.authorization).toBe(
      `Bearer ${canary}`,
    );
  });
});
