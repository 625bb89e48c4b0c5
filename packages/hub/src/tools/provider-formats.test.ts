import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropicInputSchema } from './anthropic-format.js';
import { HOSTILE_SCHEMAS, NOT_STRICT } from './fixtures/hostile-schemas.js';
import { geminiParameters } from './gemini-format.js';
import type { JsonSchema } from './json-schema.js';
import { openAiParameters } from './openai-format.js';
import { anthropicProblems, geminiProblems, openAiStrictProblems } from './provider-rules.harness.js';
import { normalizeToolArguments } from './tool-arguments.js';

const cases = Object.entries(HOSTILE_SCHEMAS);
const openAiTool = (parameters: JsonSchema, strict: boolean) => ({
  type: 'function' as const,
  function: { name: 'demo_tool', description: 'd', parameters, strict },
});
const valid = (schema: JsonSchema, value: unknown) =>
  z.fromJSONSchema(schema as never).safeParse(value).success;

describe('OpenAI function tools', () => {
  it.each(cases)(
    '%s: strict when strict mode can hold it, and then breaks none of its rules',
    (name, schema) => {
      const { parameters, strict } = openAiParameters(schema);
      expect(strict).toBe(!NOT_STRICT.has(name));
      if (strict) expect(openAiStrictProblems(openAiTool(parameters, true))).toEqual([]);
      else {
        expect(parameters.type).toBe('object');
        expect(parameters).not.toHaveProperty('anyOf');
      }
    },
  );

  it('inlines references, closes every object, requires every key and makes the optional ones nullable', () => {
    const { parameters } = openAiParameters(HOSTILE_SCHEMAS.refs as JsonSchema);
    expect(JSON.stringify(parameters)).not.toContain('$ref');
    expect(parameters).toMatchObject({
      required: ['home', 'work', 'owner'],
      additionalProperties: false,
      properties: {
        home: {
          type: 'object',
          required: ['street', 'city'],
          properties: { city: { type: ['string', 'null'] } },
        },
        work: { anyOf: [{ type: 'object', additionalProperties: false }, { type: 'null' }] },
        owner: { type: 'string', format: 'uuid', description: 'An id' },
      },
    });
  });

  it('keeps recursion as $defs references, and says in words what strict mode drops', () => {
    expect(openAiParameters(HOSTILE_SCHEMAS.recursion as JsonSchema).parameters).toMatchObject({
      properties: { tree: { $ref: '#/$defs/node' } },
      $defs: {
        node: {
          properties: { children: { anyOf: [{ items: { $ref: '#/$defs/node' } }, { type: 'null' }] } },
        },
      },
    });
    const { properties } = openAiParameters(HOSTILE_SCHEMAS.constraints as JsonSchema).parameters as {
      properties: Record<string, JsonSchema>;
    };
    expect(properties.url).toEqual({ type: 'string', description: '(maxLength 2000; format uri)' });
    expect(properties.when).toMatchObject({ format: 'date-time' });
    expect(properties.old).toMatchObject({ exclusiveMinimum: 0 });
    const defaults = openAiParameters(HOSTILE_SCHEMAS.defaults as JsonSchema).parameters as {
      properties: Record<string, JsonSchema>;
    };
    expect(defaults.properties.limit).toEqual({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 100,
      description: 'Default: 20.',
    });
    expect(defaults.properties.order).toMatchObject({ enum: ['asc', 'desc', null] });
  });

  it('joins a union of shapes at the root into one object (required where every shape requires it)', () => {
    const { parameters, strict } = openAiParameters(HOSTILE_SCHEMAS.rootUnion as JsonSchema);
    expect(strict).toBe(true);
    expect(parameters).toMatchObject({
      type: 'object',
      properties: { by: { type: 'string', enum: ['id', 'email'] }, id: { type: ['integer', 'null'] } },
    });
  });

  it('an argument set the strict schema accepts becomes, once normalized, one the original accepts', () => {
    const original = HOSTILE_SCHEMAS.unions as JsonSchema;
    const sent = { target: { kind: 'team', slug: 'core' }, idOrName: null, merged: null, choice: 'b' };
    expect(valid(openAiParameters(original).parameters, sent)).toBe(true);
    expect(valid(original, sent)).toBe(false);
    const normalized = normalizeToolArguments(sent, original);
    expect(normalized).toEqual({ target: { kind: 'team', slug: 'core' }, choice: 'b' });
    expect(valid(original, normalized)).toBe(true);
  });

  it('the rule check catches what strict mode refuses (so a passing check means something)', () => {
    expect(openAiStrictProblems(openAiTool(HOSTILE_SCHEMAS.defaults as JsonSchema, true))).toEqual(
      expect.arrayContaining([
        'parameters: additionalProperties must be false',
        expect.stringContaining('required must list every property'),
        'parameters.properties.limit: keyword default is not supported here',
      ]),
    );
    expect(
      openAiStrictProblems(
        openAiTool(openAiParameters(HOSTILE_SCHEMAS.records as JsonSchema).parameters, true),
      ),
    ).toEqual(expect.arrayContaining([expect.stringContaining('says nothing about the value')]));
  });
});

describe('Anthropic tools', () => {
  it.each(cases)(
    '%s: a plain object at the root, every $ref resolvable, readable as JSON Schema',
    (_name, schema) => {
      const input_schema = anthropicInputSchema(schema);
      expect(anthropicProblems({ name: 'demo_tool', description: 'd', input_schema })).toEqual([]);
      expect(() => z.fromJSONSchema(input_schema as never)).not.toThrow();
    },
  );

  it('keeps constraints, defaults and records, and the meaning of the original', () => {
    const records = anthropicInputSchema(HOSTILE_SCHEMAS.records as JsonSchema);
    expect(records).toMatchObject({ properties: { labels: { additionalProperties: { type: 'string' } } } });
    expect(valid(records, { labels: { a: 'x' } })).toBe(true);
    expect(valid(records, { labels: { a: 1 } })).toBe(false);
    const constraints = anthropicInputSchema(HOSTILE_SCHEMAS.constraints as JsonSchema);
    expect(constraints).toMatchObject({
      properties: { url: { format: 'uri', maxLength: 2000 }, code: { title: 'Currency code' } },
    });
    expect(anthropicInputSchema(HOSTILE_SCHEMAS.defaults as JsonSchema)).toMatchObject({
      properties: { limit: { default: 20 }, since: { type: ['string', 'null'], default: null } },
    });
  });

  it('joins a root union, and refuses one the rule check knows', () => {
    expect(anthropicInputSchema(HOSTILE_SCHEMAS.rootUnion as JsonSchema)).toMatchObject({
      type: 'object',
      required: ['by'],
    });
    expect(
      anthropicProblems({
        name: 'bad name!',
        description: 'd',
        input_schema: HOSTILE_SCHEMAS.rootUnion as JsonSchema,
      }),
    ).toEqual([
      'name bad name! breaks ^[a-zA-Z0-9_-]{1,64}$',
      'input_schema.type must be object',
      'input_schema has oneOf at the top level',
    ]);
  });
});

describe('Gemini function declarations', () => {
  it.each(cases)('%s: only the OpenAPI subset Gemini reads', (_name, schema) => {
    const parameters = geminiParameters(schema);
    expect(
      geminiProblems({ name: 'demo_tool', description: 'd', ...(parameters ? { parameters } : {}) }),
    ).toEqual([]);
    expect(JSON.stringify(parameters ?? {})).not.toMatch(
      /"\$ref"|"\$defs"|"additionalProperties"|"const"|"oneOf"|"allOf"/,
    );
  });

  it('says null with nullable, enums as strings, the rest of the enums and unsupported keywords in words', () => {
    expect(geminiParameters(HOSTILE_SCHEMAS.nullable as JsonSchema)).toMatchObject({
      properties: {
        a: { type: 'STRING', nullable: true },
        b: { type: 'INTEGER', nullable: true },
        c: { type: 'OBJECT', nullable: true },
        d: { type: 'STRING', format: 'enum', enum: ['x', 'y'], nullable: true },
      },
      required: ['a'],
    });
    expect(geminiParameters(HOSTILE_SCHEMAS.enums as JsonSchema)).toMatchObject({
      properties: {
        level: { type: 'INTEGER', description: 'One of: 1, 2, 3.' },
        color: { type: 'STRING', format: 'enum', enum: ['red', 'green'] },
        flag: { type: 'BOOLEAN', description: 'One of: true.' },
      },
    });
    expect(geminiParameters(HOSTILE_SCHEMAS.constraints as JsonSchema)).toMatchObject({
      properties: {
        url: { type: 'STRING', maxLength: 2000, description: '(format uri)' },
        when: { format: 'date-time' },
        big: { type: 'INTEGER', format: 'int64', description: '(exclusiveMinimum 0)' },
      },
    });
  });

  it('asks for records and free-form values as JSON text, unfolds recursion twice, and leaves out empty parameters', () => {
    expect(geminiParameters(HOSTILE_SCHEMAS.records as JsonSchema)).toMatchObject({
      properties: {
        labels: {
          type: 'STRING',
          description: 'A JSON object whose values are strings, written as JSON text.',
        },
        anything: { type: 'STRING' },
      },
    });
    const tree = geminiParameters(HOSTILE_SCHEMAS.recursion as JsonSchema) as JsonSchema;
    expect(tree).toMatchObject({
      properties: {
        tree: {
          properties: { children: { items: { properties: { children: { items: { type: 'STRING' } } } } } },
        },
      },
    });
    expect(geminiParameters(HOSTILE_SCHEMAS.empty as JsonSchema)).toBeUndefined();
  });

  it('JSON text the model writes for a record is parsed back before validation', () => {
    const original = HOSTILE_SCHEMAS.records as JsonSchema;
    const sent = { labels: '{"team":"core"}', untypedList: [1, 'a'] };
    expect(normalizeToolArguments(sent, original)).toEqual({
      labels: { team: 'core' },
      untypedList: [1, 'a'],
    });
  });

  it('the rule check catches what Gemini refuses', () => {
    expect(
      geminiProblems({ name: '1st', description: 'd', parameters: HOSTILE_SCHEMAS.refs as JsonSchema }),
    ).toEqual(
      expect.arrayContaining([
        "name 1st breaks Gemini's name rule",
        'parameters.type must be OBJECT',
        "parameters: field $defs is not in Gemini's Schema",
      ]),
    );
    expect(
      geminiProblems({ name: 'x', description: 'd', parameters: { type: 'OBJECT', properties: {} } }),
    ).toEqual(['parameters: properties should be non-empty for OBJECT type']);
  });
});
