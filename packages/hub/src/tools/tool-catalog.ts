import type { AnyOperation, IntegrationDefinition } from '@patchbay/core';
import { type JsonSchema, toJsonSchema } from './json-schema.js';

/** MCP's tool annotations, from the operation's kind and idempotency. */
export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: true;
}

/** One operation as a tool an agent can find and call. */
export interface Tool {
  /** `<integration>_<operation>`, or an alias from seed 002 (`github_repo_search`). */
  name: string;
  integration: string;
  operation: string;
  description: string;
  kind: 'read' | 'write';
  inputSchema: JsonSchema;
  outputSchema: JsonSchema | undefined;
  annotations: ToolAnnotations;
  /** For an alias: the tool it stands for, and how its argument names map to the operation's. */
  aliasOf?: string;
  rename?: Readonly<Record<string, string>>;
  /** For an alias with a REST route of its own (seed 002's), that route. */
  endpoint?: ToolEndpoint;
}

/** A REST route that calls a tool. */
export interface ToolEndpoint {
  method: 'GET' | 'POST';
  /** The full path, e.g. `/api/integrations/jira/projects`. */
  path: string;
}

/** A seed name kept as an alias of a tool: its old argument names still work. */
export interface ToolAlias {
  name: string;
  integration: string;
  operation: string;
  description: string;
  /** Alias argument → operation field. */
  rename?: Record<string, string>;
  /** The seed's own REST route for it. */
  endpoint?: ToolEndpoint;
}

/** Seed 002's `IntegrationToolRegistry` defaults, kept as names agents may already use. */
export const SEED_002_ALIASES: readonly ToolAlias[] = [
  {
    name: 'jira_project_finder',
    integration: 'jira',
    operation: 'find_project',
    description: 'Find projects in Jira by name',
    rename: { project_name: 'name' },
    endpoint: { method: 'GET', path: '/api/integrations/jira/projects' },
  },
  {
    name: 'github_repo_search',
    integration: 'github',
    operation: 'search_repositories',
    description: 'Search GitHub repositories',
    endpoint: { method: 'GET', path: '/api/integrations/github/repos' },
  },
];

/** The tool name of an operation. */
export const toolName = (integration: string, operation: string): string => `${integration}_${operation}`;

function humanTitle(integration: string, operation: string): string {
  const words = `${integration} ${operation}`.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An alias's input schema: the operation's, with the alias's argument names. */
function renamedSchema(schema: JsonSchema, rename: Readonly<Record<string, string>> | undefined): JsonSchema {
  if (!rename) return schema;
  const inverse = new Map(Object.entries(rename).map(([alias, field]) => [field, alias]));
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = (schema.required ?? []) as string[];
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [inverse.get(k) ?? k, v])),
    ...(required.length > 0 ? { required: required.map((k) => inverse.get(k) ?? k) } : {}),
  };
}

/** Input given to an alias, with the operation's field names. */
export function applyRename(input: unknown, rename: Readonly<Record<string, string>> | undefined): unknown {
  if (!rename || input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) out[rename[key] ?? key] = value;
  return out;
}

/**
 * Every operation of the given integrations as a tool, plus the seed aliases of those integrations.
 * Schemas are converted once per definition and kept (a tool list is asked for often).
 */
export class ToolCatalog {
  private readonly cache = new WeakMap<IntegrationDefinition, Tool[]>();
  private readonly byOperation = new WeakMap<IntegrationDefinition, Map<string, Tool>>();

  constructor(private readonly aliases: readonly ToolAlias[] = SEED_002_ALIASES) {}

  /** The tools of these integrations, sorted by name (aliases after the tool they stand for). */
  tools(definitions: readonly IntegrationDefinition[]): Tool[] {
    return definitions.flatMap((definition) => this.toolsOf(definition));
  }

  /** The tool of one operation (not an alias), looked up without building a list: it is on the call path. */
  toolOf(definition: IntegrationDefinition, operation: string): Tool | undefined {
    let tools = this.byOperation.get(definition);
    if (!tools) {
      tools = new Map(
        this.toolsOf(definition)
          .filter((t) => !t.aliasOf)
          .map((t) => [t.operation, t]),
      );
      this.byOperation.set(definition, tools);
    }
    return tools.get(operation);
  }

  private toolsOf(definition: IntegrationDefinition): Tool[] {
    const cached = this.cache.get(definition);
    if (cached) return cached;
    const tools: Tool[] = [];
    const operations = definition.operations as Record<string, AnyOperation<never>>;
    for (const [operation, op] of Object.entries(operations).sort(([a], [b]) => a.localeCompare(b))) {
      const tool = operationTool(definition.name, operation, op);
      tools.push(tool);
      for (const alias of this.aliases) {
        if (alias.integration !== definition.name || alias.operation !== operation) continue;
        tools.push({
          ...tool,
          name: alias.name,
          description: `${alias.description}. Same as ${tool.name}.`,
          inputSchema: renamedSchema(tool.inputSchema, alias.rename),
          aliasOf: tool.name,
          ...(alias.rename ? { rename: alias.rename } : {}),
          ...(alias.endpoint ? { endpoint: alias.endpoint } : {}),
        });
      }
    }
    this.cache.set(definition, tools);
    return tools;
  }
}

function operationTool(integration: string, operation: string, op: AnyOperation<never>): Tool {
  const idempotent = op.idempotent ?? op.kind === 'read';
  return {
    name: toolName(integration, operation),
    integration,
    operation,
    description: op.description,
    kind: op.kind,
    inputSchema: objectSchema(toJsonSchema(op.input, 'input')),
    outputSchema: op.output ? toJsonSchema(op.output, 'output') : undefined,
    annotations: {
      title: humanTitle(integration, operation),
      readOnlyHint: op.kind === 'read',
      destructiveHint: op.kind === 'write',
      idempotentHint: idempotent,
      openWorldHint: true,
    },
  };
}

/** Tool inputs must be JSON objects (MCP and every provider require `type: object`). */
function objectSchema(schema: JsonSchema): JsonSchema {
  return schema.type === 'object'
    ? schema
    : { ...schema, type: 'object', properties: schema.properties ?? {} };
}

/**
 * Tools matching every word of `query` in their name or description, best first (name hits
 * before description hits), so an agent can find a handful among hundreds.
 */
export function searchTools(tools: readonly Tool[], query: string, limit = 20): Tool[] {
  const words = query
    .toLowerCase()
    .split(/[\s_]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return tools.slice(0, limit);
  const scored: { tool: Tool; score: number }[] = [];
  for (const tool of tools) {
    const name = tool.name.toLowerCase().replaceAll('_', ' ');
    const text = `${tool.description} ${tool.integration}`.toLowerCase();
    let score = 0;
    for (const word of words) {
      if (name.includes(word)) score += 3;
      else if (text.includes(word)) score += 1;
      else {
        score = 0;
        break;
      }
    }
    if (score > 0) scored.push({ tool, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.tool.name.localeCompare(b.tool.name))
    .slice(0, limit)
    .map((s) => s.tool);
}
