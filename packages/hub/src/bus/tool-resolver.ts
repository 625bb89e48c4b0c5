import type { FieldIssue } from '@patchbay/core';
import { type HubErrorJson, invalid } from '../server/hub-errors.js';
import type { IntegrationHost } from '../server/integration-host.js';
import { applyRename, type Tool, ToolCatalog } from '../tools/tool-catalog.js';

/** A command's tool, resolved: the operation to invoke and the input it takes. */
export interface ResolvedTool {
  tool: Tool;
  /** The command's parameters with the operation's field names (an alias's renames applied). */
  input: unknown;
  /** Maps an issue path of the operation's input back to the command's field (`parameters.<alias name>`). */
  issuePath(path: string): string;
}

export type ToolResolution = { ok: true; resolved: ResolvedTool } | { ok: false; error: HubErrorJson };

/**
 * Finds a command's `tool_name` among the tools of the integrations that are usable right now
 * (enabled and configured), aliases included; the index follows configuration changes.
 */
export class ToolResolver {
  private index: Map<string, Tool> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly host: IntegrationHost,
    private readonly catalog: ToolCatalog = new ToolCatalog(),
  ) {
    this.unsubscribe = host.onChange(() => {
      this.index = undefined;
    });
  }

  resolve(toolName: string, parameters: Record<string, unknown>): ToolResolution {
    this.index ??= new Map(
      this.catalog
        .tools(this.host.usable().map((entry) => entry.definition))
        .map((tool) => [tool.name, tool]),
    );
    const tool = this.index.get(toolName);
    if (!tool) return { ok: false, error: this.unknown(toolName) };
    const inverse = new Map(Object.entries(tool.rename ?? {}).map(([alias, field]) => [field, alias]));
    return {
      ok: true,
      resolved: {
        tool,
        input: applyRename(parameters, tool.rename),
        issuePath: (path) => {
          if (path === '' || path === '(root)') return 'parameters';
          const [head = '', ...rest] = path.split('.');
          return ['parameters', inverse.get(head) ?? head, ...rest].join('.');
        },
      },
    };
  }

  /** Stops following configuration changes. */
  close(): void {
    this.unsubscribe();
  }

  private unknown(toolName: string): HubErrorJson {
    const owner = this.catalog
      .tools(this.host.allDefinitions())
      .find((tool) => tool.name === toolName)?.integration;
    const issue: FieldIssue = owner
      ? {
          path: 'tool_name',
          message: `tool ${toolName} belongs to integration ${owner}, which is disabled or not configured`,
        }
      : { path: 'tool_name', message: `no tool named ${toolName} (GET /api/tools lists them)` };
    return invalid(`Unknown tool ${toolName}`, [issue]).toJSON();
  }
}
