import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type FakeUpstream, reply, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolResolver } from '../bus/tool-resolver.js';
import { generateMasterKey } from '../secrets/index.js';
import { openAiStrictProblems } from './provider-rules.harness.js';
import { API_TOKEN, request, startToolsHub, TOKENS, type ToolsTestHub } from './tools.harness.js';

let up: FakeUpstream;
let rig: ToolsTestHub;
const masterKey = generateMasterKey();
const admin = (method: string, path: string, body?: unknown) =>
  request(rig.base, method, path, { token: TOKENS.admin, ...(body === undefined ? {} : { body }) });
const call = (operation: string, body: unknown) =>
  request(rig.base, 'POST', `/api/integrations/api/operations/${operation}`, {
    token: TOKENS.operator,
    body,
  });
const issuePaths = (answer: { json: { error?: { issues?: { path: string }[] } } }) =>
  (answer.json.error?.issues ?? []).map((i) => i.path).sort();

const getItem = {
  name: 'get_item',
  description: 'Read one item of the internal API',
  integration: 'api',
  method: 'GET',
  path: '/items/{id}',
  parameters_schema: {
    type: 'object',
    properties: {
      id: { type: 'string', minLength: 1, description: 'Item id' },
      expand: { type: 'array', items: { type: 'string', enum: ['owner', 'tags'] } },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
    },
    required: ['id'],
  },
};

const addComment = {
  name: 'add_comment',
  description: 'Comment on an item',
  integration: 'api',
  method: 'post',
  path: '/items/{item}/comments',
  parameters_schema: {
    type: 'object',
    properties: {
      item: { type: 'integer' },
      text: { type: 'string', minLength: 1 },
      tags: { type: 'array', items: { type: 'string' } },
      notify: { type: 'boolean' },
      tenant: { type: 'string' },
    },
    required: ['item', 'text', 'tenant'],
  },
  query: ['notify'],
  headers: { 'X-Tenant': 'tenant' },
};

beforeAll(async () => {
  up = await startFakeUpstream();
  rig = await startToolsHub({ upstreamUrl: up.url, masterKey });
});
afterAll(async () => {
  await rig?.close();
  await up?.close();
});

describe('custom tools over HTTP', () => {
  it('refuses a bad declaration with every field at fault', async () => {
    const cases: [string, unknown, string[]][] = [
      ['unknown integration', { ...getItem, integration: 'nope' }, ['integration']],
      ['not a REST integration', { ...getItem, integration: 'github' }, ['integration']],
      ['name of a built-in operation', { ...getItem, name: 'ping' }, ['name']],
      ['bad name', { ...getItem, name: 'Get-Item' }, ['name']],
      [
        'path parameter not in the schema, nor required',
        {
          ...getItem,
          path: '/items/{id}/{part}',
          parameters_schema: { ...getItem.parameters_schema, required: [] },
        },
        ['parameters_schema.required', 'path'],
      ],
      ['a path that leaves the base', { ...getItem, path: '/items/../admin/{id}' }, ['path']],
      [
        'unsupported keyword and bad pattern',
        {
          ...getItem,
          parameters_schema: {
            ...getItem.parameters_schema,
            properties: { id: { type: 'string', pattern: '([' }, x: { if: { type: 'string' } } },
          },
        },
        ['parameters_schema.properties.id.pattern', 'parameters_schema.properties.x.if'],
      ],
      [
        'not an object schema',
        { ...getItem, path: '/items', parameters_schema: { type: 'array' } },
        ['parameters_schema.type'],
      ],
      ['a GET with a body', { ...getItem, body: ['expand'] }, ['body']],
      [
        'a parameter sent nowhere',
        { ...addComment, name: 'add_note', body: ['text'] },
        ['parameters_schema.properties.tags'],
      ],
      [
        'credentials as a header',
        { ...addComment, name: 'add_note', headers: { Authorization: 'tenant' } },
        ['headers.Authorization'],
      ],
      ['an unknown field', { ...getItem, colour: 'red' }, ['']],
    ];
    for (const [label, body, paths] of cases) {
      const answer = await admin('POST', '/api/tools', body);
      expect(`${label}: ${answer.status} ${issuePaths(answer).join(',')}`).toBe(
        `${label}: 400 ${paths.join(',')}`,
      );
      expect(answer.json.error).toMatchObject({ type: 'HubValidationError', code: 'INVALID_INPUT' });
    }
    expect((await admin('GET', '/api/tools/api_get_item')).status).toBe(404);
  });

  it('registers a read tool: listed, in every format, and callable like a built-in operation', async () => {
    const created = await admin('POST', '/api/tools', getItem);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'api_get_item',
      service: 'integrations',
      endpoint: '/api/integrations/api/operations/get_item',
      kind: 'read',
      available: true,
      parameters_schema: { type: 'object', required: ['id'] },
      custom: { method: 'GET', path: '/items/{id}', query: ['expand', 'limit'], body: [], idempotent: true },
    });
    const listed = await request(rig.base, 'GET', '/api/tools?integration=api', { token: TOKENS.viewer });
    expect(listed.json.tools.map((t: { name: string }) => t.name)).toEqual(['api_get_item', 'api_ping']);
    const openai = await request(rig.base, 'GET', '/api/tools/api_get_item?format=openai', {
      token: TOKENS.viewer,
    });
    expect(openai.json.function.strict).toBe(true);
    expect(openAiStrictProblems(openai.json)).toEqual([]);

    up.on('GET', '/v1/items/:id', reply.json(200, { id: 'a/b', owner: 'ann' }));
    const answer = await call('get_item', { id: 'a/b', expand: ['owner', 'tags'], limit: 5 });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ id: 'a/b', owner: 'ann' });
    const [sent] = up.requests.filter((r) => r.path.startsWith('/v1/items/'));
    expect(sent?.url).toBe('/v1/items/a%2Fb?expand=owner&expand=tags&limit=5');
    expect(sent?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);

    const invalid = await call('get_item', { id: '', limit: 500 });
    expect(invalid.status).toBe(400);
    expect(issuePaths(invalid)).toEqual(['id', 'limit']);
    const climbing = await call('get_item', { id: '..' });
    expect(climbing.status).toBe(200);
    expect(up.requests.at(-1)?.path).toBe('/v1/items/%2E%2E');
  });

  it('registers a write tool: path, query, header and JSON body mapped as declared', async () => {
    const created = await admin('POST', '/api/tools', addComment);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'api_add_comment',
      kind: 'write',
      custom: {
        method: 'POST',
        query: ['notify'],
        body: ['text', 'tags'],
        headers: { 'X-Tenant': 'tenant' },
        idempotent: false,
      },
    });
    up.on('POST', '/v1/items/:item/comments', (req) => reply.json(201, { id: 9, received: req.json() }));
    const answer = await call('add_comment', {
      item: 42,
      text: 'Looks good',
      tags: ['ok'],
      notify: true,
      tenant: 'acme',
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ id: 9, received: { text: 'Looks good', tags: ['ok'] } });
    const [sent] = up.requestsTo('POST', '/v1/items/42/comments');
    expect(sent?.url).toBe('/v1/items/42/comments?notify=true');
    expect(sent?.headers['x-tenant']).toBe('acme');
    expect(sent?.headers['content-type']).toBe('application/json');

    const header = await call('add_comment', { item: 1, text: 'x', tenant: 'acme\r\nX-Evil: 1' });
    expect(header.status).toBe(400);
    expect(issuePaths(header)).toEqual(['tenant']);
  });

  it('refuses a second tool of the same name, also when two admins race', async () => {
    const again = await admin('POST', '/api/tools', getItem);
    expect(again.status).toBe(400);
    expect(issuePaths(again)).toEqual(['name']);
    const race = { ...getItem, name: 'get_thing' };
    const answers = await Promise.all([admin('POST', '/api/tools', race), admin('POST', '/api/tools', race)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
  });

  it('is reachable through MCP like any built-in tool, with its annotations', async () => {
    const client = new Client({ name: 'tools-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${rig.base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKENS.operator}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      const tool = tools.find((t) => t.name === 'api_get_item');
      expect(tool?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool?.inputSchema).toMatchObject({ properties: { id: { type: 'string' } } });
      const result = await client.callTool({ name: 'api_get_item', arguments: { id: 'mcp-1' } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ result: { id: 'a/b' } });
      expect(up.requests.at(-1)?.path).toBe('/v1/items/mcp-1');
    } finally {
      await client.close();
    }
  });

  it('is reachable by the bus: its tool name resolves, and the one invoker runs it', async () => {
    const resolver = new ToolResolver(rig.hub.integrations);
    try {
      const resolution = resolver.resolve('api_add_comment', {
        item: 7,
        text: 'from the bus',
        tenant: 'acme',
      });
      if (!resolution.ok) throw new Error(resolution.error.message);
      const outcome = await rig.hub.invoker.invoke({
        integration: resolution.resolved.tool.integration,
        operation: resolution.resolved.tool.operation,
        input: resolution.resolved.input,
        requestId: 'bus-1',
        channel: 'bus',
      });
      expect(outcome).toMatchObject({ ok: true, result: { id: 9 } });
      expect(up.requestsTo('POST', '/v1/items/7/comments')[0]?.json()).toEqual({ text: 'from the bus' });
    } finally {
      resolver.close();
    }
  });

  it('survives a restart: another hub on the same database serves the stored tools', async () => {
    const second = await startToolsHub({
      upstreamUrl: up.url,
      dataDir: rig.dataDir,
      masterKey,
      createTokens: false,
    });
    try {
      const answer = await request(second.base, 'POST', '/api/integrations/api/operations/get_item', {
        token: TOKENS.operator,
        body: { id: 'after-restart' },
      });
      expect(answer.status).toBe(200);
      expect(up.requests.at(-1)?.path).toBe('/v1/items/after-restart');
      const one = await request(second.base, 'GET', '/api/tools/api_add_comment', { token: TOKENS.viewer });
      expect(one.json.custom).toMatchObject({ method: 'POST', path: '/items/{item}/comments' });
    } finally {
      await second.close();
    }
  });

  it('deletes a custom tool: gone from the list and from REST; built-ins stay', async () => {
    expect((await admin('DELETE', '/api/tools/api_get_item')).status).toBe(204);
    expect((await admin('DELETE', '/api/tools/api_get_item')).status).toBe(404);
    expect((await admin('GET', '/api/tools/api_get_item')).status).toBe(404);
    const listed = await request(rig.base, 'GET', '/api/tools?integration=api', { token: TOKENS.viewer });
    expect(listed.json.tools.map((t: { name: string }) => t.name)).toEqual([
      'api_add_comment',
      'api_get_thing',
      'api_ping',
    ]);
    const gone = await call('get_item', { id: 'x' });
    expect(gone.status).toBe(404);
    const resolver = new ToolResolver(rig.hub.integrations);
    expect(resolver.resolve('api_get_item', { id: 'x' }).ok).toBe(false);
    resolver.close();
    expect((await call('add_comment', { item: 1, text: 'still here', tenant: 't' })).status).toBe(200);
  });
});
