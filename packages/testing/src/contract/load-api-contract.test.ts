import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiContract } from './api-contract.js';
import type { ApiContract } from './types.js';

const petsYaml = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
servers: [{ url: 'https://pets.example.com/v2' }]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 100 } }
        - { name: tags, in: query, style: form, explode: false, schema: { type: array, items: { type: string } } }
        - { name: ids, in: query, schema: { type: array, items: { type: integer } } }
        - { name: X-Request-Id, in: header, required: true, schema: { type: string, format: uuid } }
        - name: where
          in: query
          content: { application/json: { schema: { type: object, properties: { age: { type: integer } } } } }
        - name: filter
          in: query
          style: deepObject
          schema:
            type: object
            additionalProperties: false
            properties: { status: { $ref: '#/components/schemas/Status' } }
      responses:
        '200':
          description: the pets
          content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Pet' } } } }
        '4XX':
          description: a client error
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
    post:
      operationId: createPet
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Pet' } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { $ref: '#/components/schemas/Pet' } } } }
        default: { description: an error, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, required: true, schema: { type: integer } }
    get:
      operationId: getPet
      responses:
        '200': { description: the pet, content: { application/json: { schema: { $ref: '#/components/schemas/Pet' } } } }
    delete:
      operationId: deletePet
      responses:
        '204': { description: deleted }
components:
  schemas:
    Status: { type: string, enum: [available, sold], nullable: true }
    Pet:
      type: object
      required: [id, name]
      additionalProperties: false
      properties:
        id: { type: integer, format: int64, readOnly: true }
        name: { type: string }
        tag: { type: string, nullable: true, example: null }
        status: { $ref: '#/components/schemas/Status' }
        owner:
          nullable: true
          description: who looks after it
          allOf: [{ $ref: '#/components/schemas/Owner' }]
        children: { type: array, items: { $ref: '#/components/schemas/Pet' } }
        weight: { type: number, minimum: 0, exclusiveMinimum: true }
    Owner:
      type: object
      required: [id, name, pin]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string }
        email: { type: string, format: email }
        pin: { type: string, writeOnly: true }
    Error: { type: object, required: [message], properties: { message: { type: string } } }
`;

const legacySwagger = {
  swagger: '2.0',
  info: { title: 'Legacy', version: '1' },
  basePath: '/api/v1',
  consumes: ['application/json'],
  produces: ['application/json'],
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [
          { name: 'ids', in: 'query', type: 'array', items: { type: 'integer' }, collectionFormat: 'csv' },
          { name: 'tag', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
          { $ref: '#/parameters/limit' },
        ],
        responses: {
          200: { description: 'ok', schema: { type: 'array', items: { $ref: '#/definitions/Item' } } },
        },
      },
      post: {
        operationId: 'createItem',
        parameters: [{ name: 'item', in: 'body', required: true, schema: { $ref: '#/definitions/Item' } }],
        responses: { 201: { description: 'created', schema: { $ref: '#/definitions/Item' } } },
      },
    },
    '/items/{id}/notes': {
      post: {
        operationId: 'addNote',
        consumes: ['application/x-www-form-urlencoded'],
        parameters: [
          { name: 'id', in: 'path', required: true, type: 'integer' },
          { name: 'note', in: 'formData', required: true, type: 'string' },
          { name: 'public', in: 'formData', type: 'boolean' },
        ],
        responses: { 204: { description: 'stored' } },
      },
    },
  },
  parameters: { limit: { name: 'limit', in: 'query', type: 'integer', maximum: 50 } },
  definitions: {
    Item: {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: 'string' },
        note: { type: 'string', 'x-nullable': true },
      },
    },
  },
};

const thingsOpenApi31 = {
  openapi: '3.1.0',
  info: { title: 'Things', version: '1' },
  paths: {
    '/things': {
      get: {
        responses: {
          200: {
            description: 'a thing',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['kind'],
                  properties: {
                    kind: { const: 'thing' },
                    label: { type: ['string', 'null'] },
                    pair: {
                      type: 'array',
                      prefixItems: [{ type: 'string' }, { type: 'integer' }],
                      items: false,
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

let directory: string;
let pets: ApiContract;
let legacy: ApiContract;
let things: ApiContract;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'contract-'));
  writeFileSync(join(directory, 'pets.yaml'), petsYaml);
  writeFileSync(join(directory, 'legacy.json'), JSON.stringify(legacySwagger));
  writeFileSync(join(directory, 'things.json'), JSON.stringify(thingsOpenApi31));
  pets = loadApiContract(join(directory, 'pets.yaml'));
  legacy = loadApiContract(join(directory, 'legacy.json'));
  things = loadApiContract(join(directory, 'things.json'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const requestId = { 'x-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e' };
const listPets = { method: 'GET', url: '/pets' };

describe('loadApiContract: OpenAPI 3.0 in YAML', () => {
  it('reads the title and strips the server path before matching', () => {
    expect(pets.title).toBe('Pets');
    expect(pets.match('GET', '/v2/pets/7')).toEqual({ operationId: 'getPet', pathTemplate: '/pets/{petId}' });
    expect(pets.match('DELETE', '/pets/7')?.operationId).toBe('deletePet');
    expect(pets.match('PUT', '/pets/7')).toBeUndefined();
  });

  it('accepts null where a schema is nullable, and only there', () => {
    const pet = { id: 1, name: 'Rex', tag: null, status: null, owner: null };
    expect(pets.checkResponse(listPets, { status: 200, body: [pet] })).toEqual([]);
    expect(pets.checkResponse(listPets, { status: 200, body: [{ ...pet, name: null }] })).toEqual([
      'GET /pets response 200 body: /0/name must be string',
    ]);
    expect(pets.checkResponse(listPets, { status: 200, body: [{ ...pet, status: 'lost' }] })).toEqual([
      'GET /pets response 200 body: /0/status must be equal to one of the allowed values ("available", "sold", null)',
    ]);
    expect(pets.checkResponse(listPets, { status: 200, body: [{ ...pet, owner: { id: 7 } }] })).toEqual([
      "GET /pets response 200 body: /0/owner must have required property 'name'",
      'GET /pets response 200 body: /0/owner must match a schema in anyOf',
    ]);
  });

  it('follows recursive schemas, and reads a boolean exclusiveMinimum', () => {
    const family = {
      id: 1,
      name: 'Rex',
      children: [{ id: 2, name: 'Pup', children: [{ id: 'three', name: 'Tiny' }] }],
    };
    expect(pets.checkResponse(listPets, { status: 200, body: [family] })).toEqual([
      'GET /pets response 200 body: /0/children/0/children/0/id must be integer',
    ]);
    expect(pets.checkResponse(listPets, { status: 200, body: [{ id: 1, name: 'Rex', weight: 0 }] })).toEqual([
      'GET /pets response 200 body: /0/weight must be > 0',
    ]);
  });

  it('requires a readOnly property only in responses, and a writeOnly one only in requests', () => {
    const create = { method: 'POST', url: '/pets', headers: { 'content-type': 'application/json' } };
    expect(pets.checkRequest({ ...create, body: { name: 'Rex' } })).toEqual([]);
    expect(
      pets.checkRequest({ ...create, body: { name: 'Rex', owner: { name: 'Ann', pin: '1234' } } }),
    ).toEqual([]);
    expect(pets.checkRequest({ ...create, body: { name: 'Rex', owner: { name: 'Ann' } } })).toEqual([
      "POST /pets request body: /owner must have required property 'pin'",
      'POST /pets request body: /owner must match a schema in anyOf',
    ]);
    const created = { id: 1, name: 'Rex', owner: { id: 2, name: 'Ann' } };
    expect(pets.checkResponse(create, { status: 201, body: created })).toEqual([]);
    expect(
      pets.checkResponse(create, { status: 201, body: { name: 'Rex', owner: { name: 'Ann' } } }),
    ).toEqual([
      "POST /pets response 201 body: must have required property 'id'",
      "POST /pets response 201 body: /owner must have required property 'id'",
      'POST /pets response 201 body: /owner must match a schema in anyOf',
    ]);
  });

  it('reports an undocumented property in a request body', () => {
    const create = { method: 'POST', url: '/pets', headers: { 'content-type': 'application/json' } };
    expect(pets.checkRequest({ ...create, body: { name: 'Rex', colour: 'brown' } })).toEqual([
      'POST /pets request body: must NOT have additional properties ("colour")',
    ]);
  });

  it('reads arrays per style, deep objects, and coerces query strings', () => {
    const url = '/pets?limit=10&tags=cute,small&ids=1&ids=2&filter[status]=sold';
    expect(pets.checkRequest({ ...listPets, url, headers: requestId })).toEqual([]);
    expect(
      pets.checkRequest({
        ...listPets,
        url: '/pets?limit=0&ids=1&ids=x&filter[status]=lost&filter[colour]=red',
        headers: requestId,
      }),
    ).toEqual([
      'GET /pets: query parameter "limit": must be >= 1',
      'GET /pets: query parameter "ids": /1 must be integer',
      'GET /pets: query parameter "filter": /status must be equal to one of the allowed values ("available", "sold", null)',
      'GET /pets: query parameter "filter": must NOT have additional properties ("colour")',
    ]);
    expect(pets.checkRequest({ ...listPets, url: '/pets?limit=1&limit=2', headers: requestId })).toEqual([
      'GET /pets: query parameter "limit" is given 2 times but is not a list',
    ]);
  });

  it('parses a parameter documented with content as JSON', () => {
    const where = (json: string) => `/pets?where=${encodeURIComponent(json)}`;
    expect(pets.checkRequest({ ...listPets, url: where('{"age":3}') })).toEqual([]);
    expect(pets.checkRequest({ ...listPets, url: where('{"age":"old"}') })).toEqual([
      'GET /pets: query parameter "where": /age must be integer',
    ]);
    expect(pets.checkRequest({ ...listPets, url: where('age=3') })).toEqual([
      'GET /pets: query parameter "where": must be JSON, as documented',
    ]);
  });

  it('checks headers when they are given', () => {
    expect(pets.checkRequest({ ...listPets, headers: {} })).toEqual([
      'GET /pets: required header "X-Request-Id" is missing',
    ]);
    expect(pets.checkRequest({ ...listPets, headers: { 'X-Request-Id': 'seven' } })).toEqual([
      'GET /pets: header "X-Request-Id": must match format "uuid"',
    ]);
    expect(pets.checkRequest(listPets)).toEqual([]);
  });

  it('finds responses by exact status, by range and by default', () => {
    expect(pets.checkResponse(listPets, { status: 404, body: { message: 'no such pet' } })).toEqual([]);
    expect(pets.checkResponse(listPets, { status: 409, body: { msg: 'conflict' } })).toEqual([
      "GET /pets response 409 body: must have required property 'message'",
    ]);
    expect(pets.checkResponse(listPets, { status: 500, body: {} })).toEqual([
      'GET /pets response 500: status is not documented (documented: 200, 4XX)',
    ]);
    expect(
      pets.checkResponse({ method: 'POST', url: '/pets' }, { status: 503, body: { message: 'down' } }),
    ).toEqual([]);
    expect(
      pets.checkResponse({ method: 'DELETE', url: '/pets/7' }, { status: 204, body: undefined }),
    ).toEqual([]);
  });

  it('caches a description per file', () => {
    writeFileSync(join(directory, 'pets.yaml'), 'not: [an, api, description]');
    const again = loadApiContract(join(directory, 'pets.yaml'));
    expect(again.match('GET', '/pets/7')?.operationId).toBe('getPet');
  });

  it('refuses a file that is not an API description', () => {
    writeFileSync(join(directory, 'other.yaml'), 'name: not an api\n');
    expect(() => loadApiContract(join(directory, 'other.yaml'))).toThrow(/neither OpenAPI 3/);
  });
});

describe('loadApiContract: Swagger 2.0', () => {
  it('strips the basePath and reads collection formats and shared parameters', () => {
    expect(legacy.match('GET', '/api/v1/items')).toEqual({
      operationId: 'listItems',
      pathTemplate: '/items',
    });
    expect(legacy.checkRequest({ method: 'GET', url: '/api/v1/items?ids=1,2&tag=a&tag=b&limit=50' })).toEqual(
      [],
    );
    expect(legacy.checkRequest({ method: 'GET', url: '/api/v1/items?ids=1,x&limit=51' })).toEqual([
      'GET /items: query parameter "ids": /1 must be integer',
      'GET /items: query parameter "limit": must be <= 50',
    ]);
  });

  it('checks an in:body parameter, with x-nullable', () => {
    const create = { method: 'POST', url: '/api/v1/items', headers: { 'content-type': 'application/json' } };
    expect(legacy.checkRequest({ ...create, body: { name: 'lamp', note: null } })).toEqual([]);
    expect(legacy.checkRequest({ ...create, body: { name: 'lamp', note: 5 } })).toEqual([
      'POST /items request body: /note must be string,null',
    ]);
    expect(legacy.checkResponse(create, { status: 201, body: { id: 1, name: 'lamp', note: null } })).toEqual(
      [],
    );
    expect(legacy.checkResponse(create, { status: 201, body: { id: 1 } })).toEqual([
      "POST /items response 201 body: must have required property 'name'",
    ]);
    expect(legacy.checkResponse(create, { status: 201, body: { name: 'lamp' } })).toEqual([
      "POST /items response 201 body: must have required property 'id'",
    ]);
  });

  it('checks formData parameters of a form body', () => {
    const note = {
      method: 'POST',
      url: '/api/v1/items/7/notes',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
    expect(legacy.checkRequest({ ...note, body: { note: 'fragile', public: 'true' } })).toEqual([]);
    expect(
      legacy.checkRequest({
        ...note,
        url: '/api/v1/items/seven/notes',
        body: { public: 'yes', colour: 'red' },
      }),
    ).toEqual([
      'POST /items/{id}/notes: path parameter "id": must be integer',
      'POST /items/{id}/notes: form parameter "public": must be boolean',
      'POST /items/{id}/notes: form parameter "colour" is not documented',
      'POST /items/{id}/notes: required form parameter "note" is missing',
    ]);
    expect(legacy.checkResponse(note, { status: 204, body: undefined })).toEqual([]);
  });
});

describe('loadApiContract: OpenAPI 3.1', () => {
  it('validates with JSON Schema 2020-12 (type arrays, const, prefixItems)', () => {
    const get = { method: 'GET', url: '/things' };
    expect(
      things.checkResponse(get, { status: 200, body: { kind: 'thing', label: null, pair: ['a', 1] } }),
    ).toEqual([]);
    expect(
      things.checkResponse(get, { status: 200, body: { kind: 'other', label: 3, pair: ['a', 'b'] } }),
    ).toEqual([
      'GET /things response 200 body: /kind must be equal to constant ("thing")',
      'GET /things response 200 body: /label must be string,null',
      'GET /things response 200 body: /pair/1 must be integer',
    ]);
  });
});
