import { describe, expect, it } from 'vitest';
import { type CustomToolContext, parseCustomTool } from './custom-tool-spec.js';

const context: CustomToolContext = {
  integrations: ['rest', 'crm', 'github', 'customer_relationships_api'],
  customizable: ['rest', 'crm', 'customer_relationships_api'],
  operationsOf: (name) => (name === 'rest' ? ['get', 'send'] : []),
  toolNames: new Set(['rest_get', 'rest_send', 'github_search_repositories']),
};

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    q: { type: 'string' },
    page: { type: 'integer' },
    filter: { type: 'object', properties: { state: { type: 'string' } } },
  },
  required: ['id'],
};

const parse = (request: Record<string, unknown>) =>
  parseCustomTool(
    { name: 'tool', description: 'A tool', path: '/things/{id}', parameters_schema: schema, ...request },
    context,
  );
const paths = (result: ReturnType<typeof parse>) => result.issues.map((i) => i.path).sort();

describe('custom tool declarations', () => {
  it('GET and DELETE send the other parameters as the query; POST, PUT and PATCH as the JSON body', () => {
    const get = parse({
      method: 'get',
      parameters_schema: { ...schema, properties: { id: { type: 'string' }, q: { type: 'string' } } },
    });
    expect(get.spec).toMatchObject({
      method: 'GET',
      integration: 'rest',
      kind: 'read',
      idempotent: true,
      query: ['q'],
      body: [],
    });
    expect(parse({ method: 'POST' }).spec).toMatchObject({
      kind: 'write',
      idempotent: false,
      query: [],
      body: ['q', 'page', 'filter'],
    });
    expect(parse({ method: 'PUT' }).spec).toMatchObject({
      kind: 'write',
      idempotent: true,
      body: ['q', 'page', 'filter'],
    });
    expect(parse({ method: 'PATCH', query: ['page'] }).spec).toMatchObject({
      query: ['page'],
      body: ['q', 'filter'],
    });
    expect(parse({ method: 'POST', body: ['filter'] }).spec).toMatchObject({
      query: ['q', 'page'],
      body: ['filter'],
    });
    expect(parse({ method: 'POST', kind: 'read' }).spec).toMatchObject({ kind: 'read', idempotent: true });
  });

  it('an object cannot go in the query, a GET has no body, and every parameter must be sent somewhere', () => {
    expect(paths(parse({ method: 'GET' }))).toEqual(['parameters_schema.properties.filter']);
    expect(paths(parse({ method: 'GET', query: ['filter'] }))).toEqual([
      'parameters_schema.properties.page',
      'parameters_schema.properties.q',
      'query.0',
    ]);
    expect(paths(parse({ method: 'GET', query: ['q', 'page'], body: ['filter'] }))).toEqual(['body']);
    expect(paths(parse({ method: 'POST', query: ['q'], body: ['page'] }))).toEqual([
      'parameters_schema.properties.filter',
    ]);
    expect(
      paths(parse({ method: 'POST', query: ['q', 'nope'], body: ['q', 'id', 'page', 'filter'] })),
    ).toEqual(['body.0', 'body.1', 'query.1']);
  });

  it('names clash with operations, tools, and the 64-character limit providers set', () => {
    expect(parse({ method: 'GET', name: 'get', query: ['q', 'page'], body: [] }).issues).toEqual(
      expect.arrayContaining([{ path: 'name', message: 'rest already has an operation get' }]),
    );
    expect(parse({ method: 'POST', name: 'x'.repeat(48), integration: 'crm' }).issues).toEqual([]);
    const long = parse({ method: 'POST', name: 'x'.repeat(48), integration: 'customer_relationships_api' });
    expect(long.issues).toEqual([{ path: 'name', message: expect.stringContaining('longer than 64') }]);
    expect(parse({ method: 'POST', integration: 'github' }).issues).toEqual([
      {
        path: 'integration',
        message:
          'github is not a generic REST integration (custom tools go on: rest, crm, customer_relationships_api)',
      },
    ]);
  });

  it('headers carry scalar parameters only, never credentials', () => {
    const result = parse({
      method: 'POST',
      headers: { 'X-Filter': 'filter', Cookie: 'q', 'Bad Header': 'page' },
    });
    expect(paths(result)).toEqual(['headers.Bad Header', 'headers.Cookie', 'headers.X-Filter']);
    const ok = parse({ method: 'POST', headers: { 'X-Query': 'q' } });
    expect(ok.spec).toMatchObject({ headers: { 'X-Query': 'q' }, body: ['page', 'filter'] });
  });

  it('a tool without parameters, and the whole shape checked first', () => {
    const ping = parseCustomTool(
      { name: 'ping', description: 'Ping', method: 'GET', path: '/ping' },
      context,
    );
    expect(ping.spec).toMatchObject({
      parameters_schema: { type: 'object', properties: {} },
      query: [],
      body: [],
    });
    expect(paths(parseCustomTool({ name: 'x', method: 'TRACE', path: '/x' }, context))).toEqual([
      'description',
      'method',
    ]);
  });
});
