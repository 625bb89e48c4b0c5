import type { Principal } from '../server/auth.js';
import { invalid } from '../server/hub-errors.js';
import { searchTools } from '../tools/tool-catalog.js';
import { envelopeSchema } from './tool-envelope.js';
import type { McpToolbox, McpToolDefinition } from './toolbox.js';

export const SEARCH_TOOLS = 'search_tools';
const MAX_LIMIT = 50;

const FOUND_TOOL = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    inputSchema: { type: 'object' },
    annotations: { type: 'object' },
    approvalRequired: { type: 'boolean' },
  },
  required: ['name', 'description', 'inputSchema'],
};

/** The meta-tool an agent uses to find tools by keyword instead of reading hundreds of them. */
export const SEARCH_TOOLS_DEFINITION: McpToolDefinition = {
  name: SEARCH_TOOLS,
  title: 'Search tools',
  description:
    'Find tools by keywords in their names and descriptions (every word must match; e.g. "jira issue create"). ' +
    'Answers each match with its name, description and input schema; call it by name as any other tool.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'Keywords, e.g. "github pull request".' },
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_LIMIT,
        default: 10,
        description: 'At most this many.',
      },
    },
    required: ['query'],
  },
  outputSchema: envelopeSchema(
    {
      type: 'object',
      properties: { tools: { type: 'array', items: FOUND_TOOL }, total: { type: 'integer' } },
      required: ['tools', 'total'],
    },
    { dryRun: false },
  ) as McpToolDefinition['outputSchema'],
  annotations: {
    title: 'Search tools',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
};

/** `search_tools` over the tools this caller may list. */
export function runSearchTools(
  toolbox: McpToolbox,
  principal: Principal | undefined,
  args: Record<string, unknown>,
): { tools: Record<string, unknown>[]; total: number } {
  const query = args.query;
  const limit = args.limit === undefined ? 10 : Number(args.limit);
  if (typeof query !== 'string') {
    throw invalid('Invalid search_tools arguments', [
      { path: 'query', message: 'must be a string of keywords' },
    ]);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid('Invalid search_tools arguments', [
      { path: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` },
    ]);
  }
  const entries = toolbox.visible(principal);
  const byName = new Map(entries.map((entry) => [entry.tool.name, entry.definition]));
  const found = searchTools(
    entries.map((entry) => entry.tool),
    query,
    limit,
  );
  return {
    tools: found.map((tool) => {
      const definition = byName.get(tool.name) as McpToolDefinition;
      return {
        name: definition.name,
        title: definition.title,
        description: definition.description,
        inputSchema: definition.inputSchema,
        annotations: definition.annotations,
        ...(definition._meta?.['patchbay/approvalRequired'] ? { approvalRequired: true } : {}),
      };
    }),
    total: found.length,
  };
}
