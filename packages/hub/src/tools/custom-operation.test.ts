import { defineIntegration, defineOperation, type IntegrationDefinition } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseDefinition, withCustomTools } from './custom-operation.js';
import type { CustomToolSpec } from './custom-tool-spec.js';

const base = defineIntegration({
  name: 'rest',
  config: z.object({ baseUrl: z.string().url() }),
  operations: {
    get: defineOperation({ description: 'GET', kind: 'read', input: z.object({}), run: async () => null }),
  },
}) as unknown as IntegrationDefinition;

const spec = (name: string, integration = 'rest'): CustomToolSpec => ({
  name,
  description: `Tool ${name}`,
  integration,
  method: 'GET',
  path: '/things/{id}',
  parameters_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  kind: 'read',
  idempotent: true,
  query: [],
  body: [],
  headers: {},
});

describe('withCustomTools', () => {
  it('adds each tool of this integration as an operation whose input is its parameter schema', () => {
    const augmented = withCustomTools(base, [spec('find_thing'), spec('other_tool', 'crm')]);
    expect(Object.keys(augmented.operations)).toEqual(['get', 'find_thing']);
    const op = augmented.operations.find_thing;
    expect(op).toMatchObject({ description: 'Tool find_thing', kind: 'read', idempotent: true });
    expect(op?.input.safeParse({ id: 'x' }).success).toBe(true);
    expect(op?.input.safeParse({}).success).toBe(false);
    expect(augmented.config).toBe(base.config);
    expect(base.operations).not.toHaveProperty('find_thing');
  });

  it('starts again from the declared definition, so a removed tool is gone', () => {
    const first = withCustomTools(base, [spec('a_tool'), spec('b_tool')]);
    const second = withCustomTools(first, [spec('b_tool')]);
    expect(Object.keys(second.operations)).toEqual(['get', 'b_tool']);
    expect(baseDefinition(second)).toBe(base);
    expect(baseDefinition(base)).toBe(base);
  });

  it('refuses a tool that would replace a declared operation', () => {
    expect(() => withCustomTools(base, [spec('get')])).toThrow('rest already has an operation get');
  });
});
