import { type FakeUpstream, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicProblems, geminiProblems, openAiStrictProblems } from './provider-rules.harness.js';
import { request, startToolsHub, TOKENS, type ToolsTestHub } from './tools.harness.js';

let up: FakeUpstream;
let rig: ToolsTestHub;
const get = (path: string, token: string = TOKENS.viewer) => request(rig.base, 'GET', path, { token });
const names = (answer: { json: { tools: { name: string }[] } }) => answer.json.tools.map((t) => t.name);

beforeAll(async () => {
  up = await startFakeUpstream();
  rig = await startToolsHub({ upstreamUrl: up.url });
});
afterAll(async () => {
  await rig?.close();
  await up?.close();
});

describe('GET /api/tools over HTTP', () => {
  it("lists the tools of usable integrations in seed 002's shape; an unconfigured one is left out", async () => {
    const answer = await get('/api/tools');
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(['api_ping']);
    expect(answer.json.tools[0]).toEqual({
      name: 'api_ping',
      description: 'Check the API answers',
      service: 'integrations',
      endpoint: '/api/integrations/api/operations/ping',
      method: 'POST',
      parameters_schema: { type: 'object', properties: {} },
      integration: 'api',
      operation: 'ping',
      kind: 'read',
    });
  });

  it("once GitHub is configured, lists its tools, seed 002's github_repo_search with its own route", async () => {
    const configured = await request(rig.base, 'POST', '/api/integrations/github/configure', {
      token: TOKENS.admin,
      body: { values: { token: 'ghp_test', baseUrl: up.url } },
    });
    expect(configured.status).toBe(200);
    const answer = await get('/api/tools');
    expect(names(answer)).toEqual(
      expect.arrayContaining([
        'api_ping',
        'github_search_repositories',
        'github_repo_search',
        'github_create_issue',
      ]),
    );
    const search = answer.json.tools.find((t: { name: string }) => t.name === 'github_search_repositories');
    expect(search).toMatchObject({
      endpoint: '/api/integrations/github/operations/search_repositories',
      method: 'POST',
      parameters_schema: { type: 'object', required: ['query'] },
    });
    const alias = answer.json.tools.find((t: { name: string }) => t.name === 'github_repo_search');
    expect(alias).toMatchObject({
      service: 'integrations',
      endpoint: '/api/integrations/github/repos',
      method: 'GET',
      parameters_schema: { properties: { query: { type: 'string' } }, required: ['query'] },
    });
  });

  it('a token limited to integrations sees only theirs; a read-only token only reads', async () => {
    const limited = await get('/api/tools', TOKENS.apiOnly);
    expect(names(limited)).toEqual(['api_ping']);
    const readOnly = await get('/api/tools', TOKENS.readOnly);
    expect(readOnly.json.tools.every((t: { kind: string }) => t.kind === 'read')).toBe(true);
    expect(names(readOnly)).toContain('github_search_repositories');
    expect(names(readOnly)).not.toContain('github_create_issue');
    const forbidden = await get('/api/tools/github_search_repositories', TOKENS.apiOnly);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error).toMatchObject({ type: 'HubAuthError', code: 'FORBIDDEN' });
    expect((await get('/api/tools/github_create_issue', TOKENS.readOnly)).status).toBe(403);
  });

  it('narrows by integration and by keywords', async () => {
    expect(names(await get('/api/tools?integration=api'))).toEqual(['api_ping']);
    const issues = names(await get('/api/tools?q=issue%20create'));
    expect(issues[0]).toBe('github_create_issue');
    expect(issues.every((n: string) => n.startsWith('github_'))).toBe(true);
  });

  it("?format=openai gives strict function tools that break none of strict mode's rules", async () => {
    const answer = await get('/api/tools?format=openai');
    expect(answer.status).toBe(200);
    expect(answer.json.format).toBe('openai');
    const strict = answer.json.tools.filter((t: { function: { strict: boolean } }) => t.function.strict);
    expect(strict.length).toBeGreaterThan(answer.json.tools.length / 2);
    for (const tool of strict) expect(openAiStrictProblems(tool)).toEqual([]);
    const create = answer.json.tools.find(
      (t: { function: { name: string } }) => t.function.name === 'github_create_issue',
    );
    expect(create.function.parameters).toMatchObject({
      additionalProperties: false,
      properties: { body: { type: ['string', 'null'] } },
    });
  });

  it('?format=anthropic and ?format=gemini give tools each provider accepts', async () => {
    const anthropic = await get('/api/tools?format=anthropic');
    expect(anthropic.json.format).toBe('anthropic');
    for (const tool of anthropic.json.tools) expect(anthropicProblems(tool)).toEqual([]);
    expect(anthropic.json.tools.map((t: { name: string }) => t.name)).toContain('github_repo_search');

    const gemini = await get('/api/tools?format=gemini');
    const [group] = gemini.json.tools;
    expect(gemini.json.format).toBe('gemini');
    for (const declaration of group.functionDeclarations) expect(geminiProblems(declaration)).toEqual([]);
    const ping = group.functionDeclarations.find((d: { name: string }) => d.name === 'api_ping');
    expect(ping).toEqual({ name: 'api_ping', description: 'Check the API answers' });
  });

  it("one tool by name, in a provider's format too; unknown ones 404", async () => {
    const one = await get('/api/tools/github_repo_search');
    expect(one.json).toMatchObject({
      name: 'github_repo_search',
      available: true,
      endpoint: '/api/integrations/github/repos',
    });
    expect(one.json).not.toHaveProperty('custom');
    const openai = await get('/api/tools/github_search_repositories?format=openai');
    expect(openai.json).toMatchObject({
      type: 'function',
      function: { name: 'github_search_repositories', strict: true },
    });
    const missing = await get('/api/tools/nope_nothing');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ type: 'HubNotFound' });
  });

  it('a bad query is a 400 naming the field', async () => {
    const bad = await get('/api/tools?format=llama');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ type: 'HubValidationError', issues: [{ path: 'query.format' }] });
    expect(bad.json.error.issues[0].message).toContain('openai');
    const unknown = await get('/api/tools?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues[0].message).toContain('colour');
    expect((await get('/api/tools/api_ping?format=x')).status).toBe(400);
  });

  it('needs a token: viewers read, only admins change', async () => {
    expect((await request(rig.base, 'GET', '/api/tools')).status).toBe(401);
    const matrix: [keyof typeof TOKENS, string, string, number][] = [
      ['viewer', 'POST', '/api/tools', 403],
      ['operator', 'POST', '/api/tools', 403],
      ['operator', 'DELETE', '/api/tools/api_ping', 403],
      ['admin', 'DELETE', '/api/tools/api_ping', 409],
      ['admin', 'DELETE', '/api/tools/nope_nothing', 404],
      ['operator', 'GET', '/api/tools', 200],
    ];
    for (const [who, method, path, expected] of matrix) {
      const answer = await request(rig.base, method, path, {
        token: TOKENS[who],
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(`${who} ${method} ${path} ${answer.status}`).toBe(`${who} ${method} ${path} ${expected}`);
    }
  });
});
