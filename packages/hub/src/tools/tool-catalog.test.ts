import { defineIntegration, defineOperation, secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyRename, searchTools, ToolCatalog } from './tool-catalog.js';

const jira = defineIntegration({
  name: 'jira',
  config: z.object({ baseUrl: z.string().url(), apiToken: secret() }),
  operations: {
    find_project: defineOperation({
      description: 'Find a Jira project by name, case-insensitive',
      kind: 'read',
      input: z.object({ name: z.string().min(1).describe('Project name') }),
      output: z.object({ key: z.string() }),
      run: async () => ({ key: 'X' }),
    }),
    create_issue: defineOperation({
      description: 'Create a Jira issue',
      kind: 'write',
      input: z.object({ project: z.string(), summary: z.string() }),
      run: async () => ({}),
    }),
    transition_issue: defineOperation({
      description: 'Move an issue through its workflow',
      kind: 'write',
      idempotent: true,
      input: z.object({ key: z.string(), to: z.string() }),
      run: async () => ({}),
    }),
  },
});

describe('ToolCatalog', () => {
  const tools = new ToolCatalog().tools([jira]);

  it('names each operation <integration>_<operation>, with JSON schemas and MCP annotations', () => {
    expect(tools.map((t) => t.name)).toEqual([
      'jira_create_issue',
      'jira_find_project',
      'jira_project_finder',
      'jira_transition_issue',
    ]);
    const find = tools.find((t) => t.name === 'jira_find_project');
    expect(find?.inputSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, description: 'Project name' } },
      required: ['name'],
    });
    expect(find?.outputSchema).toMatchObject({ type: 'object', properties: { key: { type: 'string' } } });
    expect(find?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    const create = tools.find((t) => t.name === 'jira_create_issue');
    expect(create?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
    });
    expect(tools.find((t) => t.name === 'jira_transition_issue')?.annotations.idempotentHint).toBe(true);
  });

  it("keeps seed 002's jira_project_finder as an alias with its own argument name", () => {
    const alias = tools.find((t) => t.name === 'jira_project_finder');
    expect(alias).toMatchObject({ aliasOf: 'jira_find_project', operation: 'find_project', kind: 'read' });
    expect(alias?.inputSchema).toMatchObject({
      properties: { project_name: { type: 'string' } },
      required: ['project_name'],
    });
    expect(applyRename({ project_name: 'Apollo' }, alias?.rename)).toEqual({ name: 'Apollo' });
  });

  it('finds tools by every word of a query, name hits first', () => {
    expect(searchTools(tools, 'issue').map((t) => t.name)).toEqual([
      'jira_create_issue',
      'jira_transition_issue',
    ]);
    expect(searchTools(tools, 'workflow').map((t) => t.name)).toEqual(['jira_transition_issue']);
    expect(searchTools(tools, 'project name').map((t) => t.name)).toEqual([
      'jira_find_project',
      'jira_project_finder',
    ]);
    expect(searchTools(tools, 'slack')).toEqual([]);
  });
});
