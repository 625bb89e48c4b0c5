import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryInput } from './query-input.js';

const schema = z.object({
  query: z.string(),
  limit: z.number().int().optional(),
  page: z.number().default(1),
  draft: z.boolean().optional(),
  labels: z.array(z.string()).optional(),
  since: z.string().datetime().optional(),
});

describe('queryInput', () => {
  it('converts query strings to the numbers, booleans and arrays the schema wants', () => {
    const input = queryInput(
      {
        query: 'cli',
        limit: '10',
        page: '2',
        draft: 'true',
        labels: 'bug,help wanted',
        since: '2026-01-01T00:00:00Z',
      },
      schema,
    );
    expect(input).toEqual({
      query: 'cli',
      limit: 10,
      page: 2,
      draft: true,
      labels: ['bug', 'help wanted'],
      since: '2026-01-01T00:00:00Z',
    });
    expect(schema.parse(input)).toMatchObject({ limit: 10, labels: ['bug', 'help wanted'] });
  });

  it('keeps repeated parameters as an array, and the last value for a scalar', () => {
    expect(queryInput({ labels: ['a', 'b,c'], limit: ['1', '7'] }, schema)).toEqual({
      labels: ['a', 'b', 'c'],
      limit: 7,
    });
  });

  it('passes values that do not convert unchanged, so validation names the field', () => {
    const input = queryInput({ query: 'x', limit: 'ten', draft: 'maybe' }, schema);
    expect(input).toEqual({ query: 'x', limit: 'ten', draft: 'maybe' });
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['draft', 'limit']);
  });

  it('leaves unknown fields as strings and numbers-as-text fields alone', () => {
    expect(queryInput({ query: '123', extra: '5' }, schema)).toEqual({ query: '123', extra: '5' });
  });
});
