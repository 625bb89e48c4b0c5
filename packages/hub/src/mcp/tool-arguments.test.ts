import { describe, expect, it } from 'vitest';
import { lenientMessage } from './lenient-messages.js';
import { prepareArguments } from './tool-arguments.js';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string' },
    limit: { type: 'integer' },
    ratio: { type: 'number' },
    draft: { type: 'boolean' },
    filter: { type: 'object', properties: { state: { type: 'string' } } },
    labels: { type: 'array', items: { type: 'string' } },
    maybe: { anyOf: [{ type: 'object' }, { type: 'null' }] },
    tag: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    mode: { enum: ['1', '2'] },
  },
};

describe('prepareArguments', () => {
  it('parses the whole arguments object sent as a JSON string', () => {
    expect(prepareArguments('{"query":"x","limit":"5"}', schema)).toEqual({
      input: { query: 'x', limit: 5 },
      dryRun: false,
    });
  });

  it('unwraps arguments wrapped once in arguments/input/params, as an object or a JSON string', () => {
    expect(prepareArguments({ arguments: '{"query":"x"}' }, schema).input).toEqual({ query: 'x' });
    expect(prepareArguments({ input: { query: 'y' } }, schema).input).toEqual({ query: 'y' });
    // A tool that declares such a field keeps it.
    const own = { type: 'object', properties: { input: { type: 'string' } } };
    expect(prepareArguments({ input: '{"a":1}' }, own).input).toEqual({ input: '{"a":1}' });
  });

  it('parses fields that want objects or arrays, and numbers and booleans sent as strings', () => {
    const { input } = prepareArguments(
      {
        filter: '{"state":"open"}',
        labels: '["a","b"]',
        maybe: '{"k":1}',
        limit: '10',
        ratio: '0.5',
        draft: 'false',
      },
      schema,
    );
    expect(input).toEqual({
      filter: { state: 'open' },
      labels: ['a', 'b'],
      maybe: { k: 1 },
      limit: 10,
      ratio: 0.5,
      draft: false,
    });
  });

  it('leaves alone what the schema does not clearly ask for, so validation names it', () => {
    const { input } = prepareArguments(
      {
        query: '{"not":"parsed"}',
        limit: '2.5',
        labels: '{"an":"object"}',
        filter: 'not json {',
        tag: '7',
        mode: '1',
        extra: '{"x":1}',
      },
      schema,
    );
    expect(input).toEqual({
      query: '{"not":"parsed"}',
      limit: '2.5',
      labels: '{"an":"object"}',
      filter: 'not json {',
      tag: '7',
      mode: '1',
      extra: '{"x":1}',
    });
  });

  it('takes dry_run out of the arguments, or from _meta', () => {
    expect(prepareArguments({ query: 'x', dry_run: true }, schema)).toEqual({
      input: { query: 'x' },
      dryRun: true,
    });
    expect(prepareArguments({ query: 'x', dry_run: 'true' }, schema).dryRun).toBe(true);
    expect(prepareArguments({ query: 'x' }, schema, { 'patchbay/dryRun': true }).dryRun).toBe(true);
    expect(prepareArguments({ query: 'x', dry_run: false }, schema)).toEqual({
      input: { query: 'x' },
      dryRun: false,
    });
    // An operation with its own dry_run field gets it.
    const own = { type: 'object', properties: { dry_run: { type: 'boolean' } } };
    expect(prepareArguments({ dry_run: true }, own)).toEqual({ input: { dry_run: true }, dryRun: false });
  });

  it('answers no arguments with an empty object', () => {
    expect(prepareArguments(undefined, schema)).toEqual({ input: {}, dryRun: false });
  });
});

describe('lenientMessage', () => {
  it('makes a tools/call with string or null arguments into what the protocol wants', () => {
    const call = (args: unknown) => ({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 't', arguments: args },
    });
    expect(lenientMessage(call('{"a":1}'))).toEqual(call({ a: 1 }));
    expect(lenientMessage(call(null))).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 't' },
    });
    expect(lenientMessage([call('{"b":2}')])).toEqual([call({ b: 2 })]);
    expect(lenientMessage(call('not json'))).toEqual(call('not json'));
    expect(lenientMessage(call('[1]'))).toEqual(call('[1]'));
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { arguments: '{}' } };
    expect(lenientMessage(list)).toBe(list);
  });
});
