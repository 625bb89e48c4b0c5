import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './json-schema.js';
import { normalizeToolArguments } from './tool-arguments.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    note: { type: ['string', 'null'] },
    labels: { type: 'array', items: { type: 'string' } },
    meta: { type: 'object', additionalProperties: { type: 'string' } },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: { a: { type: 'integer' }, b: { type: 'string' } },
        required: ['a'],
      },
    },
    raw: {},
    text: { type: 'string' },
  },
  required: ['title'],
};

describe('normalizeToolArguments', () => {
  it('drops a null the schema did not ask for, at any depth; keeps one it accepts or requires', () => {
    expect(
      normalizeToolArguments({ title: null, note: null, labels: null, rows: [{ a: null, b: null }] }, schema),
    ).toEqual({ title: null, note: null, rows: [{ a: null }] });
  });

  it('parses JSON text where an object or array is wanted and a string is not', () => {
    expect(
      normalizeToolArguments(
        { title: 't', meta: '{"k":"v"}', labels: '["x"]', text: '{"stays":"text"}', raw: '{"a":1}' },
        schema,
      ),
    ).toEqual({ title: 't', meta: { k: 'v' }, labels: ['x'], text: '{"stays":"text"}', raw: '{"a":1}' });
  });

  it('leaves what it cannot read for validation to name', () => {
    expect(normalizeToolArguments({ title: 't', meta: '{broken', rows: 'nope' }, schema)).toEqual({
      title: 't',
      meta: '{broken',
      rows: 'nope',
    });
    expect(normalizeToolArguments('just text', schema)).toBe('just text');
  });
});
