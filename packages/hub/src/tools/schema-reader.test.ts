import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonSchema } from './json-schema.js';
import { readSchema } from './schema-reader.js';

describe('readSchema', () => {
  it("settles draft-4 bounds, zod's safe-integer range and required names without a property", () => {
    const ir = readSchema({
      type: 'object',
      properties: {
        n: { type: 'number', minimum: 0, exclusiveMinimum: true },
        i: toJsonSchema(z.number().int(), 'input'),
      },
      required: ['n', 'ghost'],
    });
    expect(ir.root).toMatchObject({
      kind: 'object',
      required: ['n', 'ghost'],
      properties: [
        ['n', { kind: 'number', meta: { constraints: { exclusiveMinimum: 0 } } }],
        ['i', { kind: 'integer', meta: { constraints: {} } }],
        ['ghost', { kind: 'any' }],
      ],
    });
  });

  it('merges allOf (a property in both parts becomes both), and reads a recursive $ref once', () => {
    const merged = readSchema({
      allOf: [
        { type: 'object', properties: { a: { type: 'string', minLength: 1 } }, required: ['a'] },
        { type: 'object', properties: { a: { maxLength: 5 }, b: { type: 'boolean' } } },
      ],
    });
    expect(merged.root).toMatchObject({
      kind: 'object',
      required: ['a'],
      properties: [
        ['a', { kind: 'string', meta: { constraints: { minLength: 1, maxLength: 5 } } }],
        ['b', { kind: 'boolean' }],
      ],
    });
    const tree = readSchema({
      $defs: {
        'tree-node': {
          type: 'object',
          properties: { kids: { type: 'array', items: { $ref: '#/$defs/tree-node' } } },
        },
      },
      $ref: '#/$defs/tree-node',
    });
    expect([...tree.defs.keys()]).toEqual(['tree_node']);
    expect(tree.root).toMatchObject({ kind: 'ref', target: 'tree_node' });
  });

  it('folds every way of saying null into nullable, and splits a mixed enum by type', () => {
    expect(readSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] }).root).toMatchObject({
      kind: 'string',
      meta: { nullable: true },
    });
    expect(readSchema({ type: 'integer', nullable: true }).root).toMatchObject({
      kind: 'integer',
      meta: { nullable: true },
    });
    expect(readSchema({ enum: ['a', 1, null] }).root).toMatchObject({
      kind: 'union',
      meta: { nullable: true },
      options: [
        { kind: 'string', enum: ['a'] },
        { kind: 'integer', enum: [1] },
      ],
    });
  });
});
