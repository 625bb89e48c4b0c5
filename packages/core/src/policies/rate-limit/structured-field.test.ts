import { describe, expect, it } from 'vitest';
import { parseFieldMembers } from './structured-field.js';

describe('parseFieldMembers', () => {
  it('reads a List of named items with parameters', () => {
    expect(parseFieldMembers('"default";r=0;t=30, "day";r=100;t=3600')).toEqual([
      { key: undefined, item: 'default', params: { r: 0, t: 30 } },
      { key: undefined, item: 'day', params: { r: 100, t: 3600 } },
    ]);
  });

  it('reads a Dictionary (draft 07)', () => {
    expect(parseFieldMembers('limit=10, remaining=0, reset=30')).toEqual([
      { key: 'limit', item: 10, params: {} },
      { key: 'remaining', item: 0, params: {} },
      { key: 'reset', item: 30, params: {} },
    ]);
  });

  it('reads tokens, integers with parameters, booleans and escaped strings', () => {
    expect(parseFieldMembers('10;w=1, burst;q=5;x, "a\\"b";f=?1')).toEqual([
      { key: undefined, item: 10, params: { w: 1 } },
      { key: undefined, item: 'burst', params: { q: 5, x: true } },
      { key: undefined, item: 'a"b', params: { f: true } },
    ]);
  });

  it('rejects the whole field on any syntax error', () => {
    for (const bad of [
      '',
      '"default";r=0;t=',
      '"unterminated;r=0',
      '"default";R=0',
      '"default";r=0,',
      '"default" "other"',
      '(1 2);w=1',
      'limit=',
      '1234567890123456789',
      '"ok";r=0;;t=1',
    ]) {
      expect(parseFieldMembers(bad), bad).toBeUndefined();
    }
  });
});
