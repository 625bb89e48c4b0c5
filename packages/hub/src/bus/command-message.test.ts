import { describe, expect, it } from 'vitest';
import { parseCommand } from './command-message.js';

const parse = (value: unknown) =>
  parseCommand(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
const paths = (value: unknown) => {
  const parsed = parse(value);
  return parsed.ok ? [] : (parsed.error.issues ?? []).map((i) => i.path);
};

describe('parseCommand', () => {
  it("accepts seed 002's command, defaulting missing or null parameters to {}", () => {
    expect(
      parse({ tool_name: 'github_repo_search', parameters: { query: 'cli' }, task_id: 't', step_id: 's' }),
    ).toEqual({
      ok: true,
      command: { tool_name: 'github_repo_search', parameters: { query: 'cli' }, task_id: 't', step_id: 's' },
    });
    expect(parse({ tool_name: 'x_y', task_id: 1, step_id: 2, parameters: null })).toMatchObject({
      ok: true,
      command: { parameters: {}, task_id: 1, step_id: 2 },
    });
  });

  it('names the body when it is not JSON', () => {
    const parsed = parse('{"tool_name":');
    expect(parsed).toMatchObject({
      ok: false,
      echo: { task_id: null, step_id: null, tool_name: null },
      error: {
        type: 'HubValidationError',
        code: 'INVALID_JSON',
        retryable: false,
        issues: [{ path: '(body)' }],
      },
    });
  });

  it('names each missing or malformed field, and echoes the usable ones', () => {
    expect(paths({ parameters: {}, task_id: 't', step_id: 's' })).toEqual(['tool_name']);
    expect(paths({ tool_name: 'a_b', parameters: [], task_id: 't', step_id: 's' })).toEqual(['parameters']);
    expect(paths({ tool_name: 'a_b', task_id: '', step_id: 1.5 }).sort()).toEqual(['step_id', 'task_id']);
    expect(paths(['not', 'an', 'object'])).toEqual(['(body)']);
    const parsed = parse({ tool_name: 'a_b', parameters: 'x', task_id: 't-1', step_id: { nested: true } });
    expect(parsed).toMatchObject({
      ok: false,
      echo: { task_id: 't-1', step_id: null, tool_name: 'a_b' },
      error: { type: 'HubValidationError', httpStatus: 400, message: 'Invalid command: parameters, step_id' },
    });
  });
});
