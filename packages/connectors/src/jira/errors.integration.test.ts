import { isErrorType } from '@patchbay/core';
import { rejectionOf, reply } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { startJiraTestBed } from './test-setup.js';

describe('Jira errors as typed errors', () => {
  it('401: an auth error with Jira’s message and a hint at the two env names, not retried', async () => {
    await using bed = await startJiraTestBed({}, { apiToken: 'not-the-token' });
    const error = await rejectionOf(bed.jira.call('get_issue', { issueKey: 'PROJ-1' }), (e) =>
      isErrorType(e, 'IntegrationAuthError'),
    );
    expect(error).toMatchObject({
      status: 401,
      retryable: false,
      integration: 'jira',
      operation: 'get_issue',
      httpStatus: 502,
    });
    expect(error.message).toBe(
      `Authentication failed (HTTP 401) on GET ${bed.fake.url}/rest/api/3/issue/PROJ-1?fields=summary%2Cdescription%2Cstatus%2Cassignee%2Creporter%2Cpriority%2Cissuetype%2Clabels%2Ccreated%2Cupdated%2Cduedate%2Cproject%2Cparent%2Ccomment: You are not authenticated. Authentication required to perform this operation. (check the Jira username, which is the account email, and its API token: JIRA_USERNAME, JIRA_API_TOKEN)`,
    );
    expect(bed.fake.requests).toHaveLength(1);
    expect(await bed.jira.healthCheck()).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^IntegrationAuthError/),
    });
  });

  it('400: a permanent error listing errorMessages and each field error', async () => {
    await using bed = await startJiraTestBed();
    bed.fake.upstream.on(
      'POST',
      '/rest/api/3/issue',
      reply.json(400, {
        errorMessages: ['Issue could not be created.'],
        errors: { summary: 'Too long', labels: 'Bad label' },
      }),
    );
    const error = await rejectionOf(
      bed.jira.call('create_issue', { projectKey: 'PROJ', summary: 'x' }),
      (e) => isErrorType(e, 'IntegrationPermanentError'),
    );
    expect(error.message).toMatch(/: Issue could not be created\.; summary: Too long; labels: Bad label$/);
    expect(error.body).toBe(
      '{"errorMessages":["Issue could not be created."],"errors":{"summary":"Too long","labels":"Bad label"}}',
    );
  });

  it('a body that is not Jira-shaped stays as the kernel wrote it', async () => {
    await using bed = await startJiraTestBed();
    bed.fake.upstream.on('GET', '/rest/api/3/myself', reply.json(418, { message: 'teapot' }));
    const error = await rejectionOf(bed.jira.call('get_current_user', {}), (e) =>
      isErrorType(e, 'IntegrationPermanentError'),
    );
    expect(error.message).toBe(
      `Request rejected (HTTP 418) on GET ${bed.fake.url}/rest/api/3/myself: {"message":"teapot"}`,
    );
  });

  it('503 on a read: retried, and the second attempt answers', async () => {
    await using bed = await startJiraTestBed();
    bed.fake.fail(503);
    const result = await bed.jira.call('search_issues', { project: 'MOB', fields: ['summary'] });
    expect(result.issues.map((i) => i.key)).toEqual(['MOB-1', 'MOB-2']);
    expect(bed.fake.requestsTo('POST', '/rest/api/3/search/jql')).toHaveLength(2);
  });

  it('503 on create_issue: a temporary error at once, never a second POST that could create it twice', async () => {
    await using bed = await startJiraTestBed();
    bed.fake.fail(503);
    const error = await rejectionOf(
      bed.jira.call('create_issue', { projectKey: 'PROJ', summary: 'Once only' }),
      (e) => isErrorType(e, 'IntegrationTemporaryError'),
    );
    expect(error).toMatchObject({ status: 503, retryable: true, attempts: 1 });
    expect(error.message).toMatch(/: The fake Jira failed on purpose \(HTTP 503\)\.$/);
    expect(bed.fake.requests).toHaveLength(1);
    expect(bed.fake.issue('PROJ-6')).toBeUndefined();
  });
});

describe('Jira rate limits (429)', () => {
  it('waits the Retry-After Jira asked for, never less, then retries', async () => {
    await using bed = await startJiraTestBed();
    bed.fake.rateLimit(1);
    const project = await bed.jira.call('get_project', { key: 'PROJ' });
    expect(project.key).toBe('PROJ');
    const [limited, retried] = bed.fake.requests;
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(bed.fake.requests).toHaveLength(2);
  });

  it('a wait beyond what a call may sleep: IntegrationRateLimited with retryAfter at once, and every caller paused', async () => {
    await using bed = await startJiraTestBed();
    bed.fake.rateLimit(120);
    const error = await rejectionOf(bed.jira.call('get_current_user', {}), (e) =>
      isErrorType(e, 'IntegrationRateLimited'),
    );
    expect(error).toMatchObject({
      status: 429,
      retryAfter: 120,
      retryable: true,
      httpStatus: 429,
      attempts: 1,
    });
    expect(error.message).toBe(
      `Rate limited (HTTP 429, retry after 120s) on GET ${bed.fake.url}/rest/api/3/myself: Rate limit exceeded.`,
    );
    // The pause covers the next caller too, who is answered without reaching Jira.
    const next = await rejectionOf(bed.jira.call('list_users', {}), (e) =>
      isErrorType(e, 'IntegrationRateLimited'),
    );
    expect(next).toMatchObject({ code: 'RATE_LIMIT_WAIT_EXCEEDS_DEADLINE', requestSent: false });
    expect(next.retryAfter).toBeGreaterThan(100);
    expect(bed.fake.requests).toHaveLength(1);
  });

  it('honours an ISO-8601 X-RateLimit-Reset when Jira sends no Retry-After', async () => {
    await using bed = await startJiraTestBed();
    let resetAt = 0;
    bed.fake.upstream.on(
      'GET',
      '/rest/api/3/myself',
      () => {
        resetAt = Date.now() + 1500;
        return reply.json(
          429,
          { errorMessages: ['Rate limit exceeded.'], errors: {} },
          { 'x-ratelimit-reset': new Date(resetAt).toISOString(), 'x-ratelimit-remaining': '0' },
        );
      },
      reply.json(200, { accountId: '5b10a2844c20165700ede21g' }),
    );
    expect(await bed.jira.call('get_current_user', {})).toEqual({ accountId: '5b10a2844c20165700ede21g' });
    expect(bed.fake.requests).toHaveLength(2);
    expect(bed.fake.requests[1]!.receivedAt).toBeGreaterThanOrEqual(resetAt);
  });
});

describe('credentials never leak', () => {
  const CANARY = 'canary-5f1d2e9a7b3c4d6e';

  it('keeps the API token (and its Basic encoding) out of errors, even when Jira echoes them', async () => {
    await using bed = await startJiraTestBed({ apiToken: CANARY }, { apiToken: CANARY });
    const encoded = Buffer.from(`${bed.fake.email}:${CANARY}`).toString('base64');
    const echo = (status: number) => (req: { headers: Record<string, unknown> }) =>
      reply.json(status, {
        errorMessages: [`Bad credential ${String(req.headers.authorization)} (${CANARY})`],
        errors: { token: CANARY },
      });
    bed.fake.upstream.on('GET', '/rest/api/3/myself', echo(401));
    bed.fake.upstream.on('POST', '/rest/api/3/issue', echo(400));
    bed.fake.upstream.on('GET', '/rest/api/3/project/:key', echo(429));
    const errors = [
      await bed.jira.call('get_current_user', {}).catch((e: unknown) => e),
      await bed.jira.call('create_issue', { projectKey: 'PROJ', summary: 'x' }).catch((e: unknown) => e),
      await bed.jira.call('get_project', { key: 'PROJ' }).catch((e: unknown) => e),
    ];
    expect(errors.map((e) => (e as { type: string }).type)).toEqual([
      'IntegrationAuthError',
      'IntegrationPermanentError',
      'IntegrationRateLimited',
    ]);
    for (const error of errors) {
      const seen = [
        JSON.stringify(error),
        (error as Error).message,
        (error as { body?: string }).body,
        String((error as Error).stack),
      ].join('\n');
      expect(seen).not.toContain(CANARY);
      expect(seen).not.toContain(encoded);
      expect(seen).toContain('***');
    }
    // The canary did reach the fake: the test would catch a redaction that silently stopped working.
    expect(bed.fake.requests[0]!.headers.authorization).toBe(`Basic ${encoded}`);
  });
});
