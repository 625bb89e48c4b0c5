import type { ApprovalService } from '../approvals/index.js';
import type { Principal } from '../server/auth.js';
import type { IntegrationHost } from '../server/integration-host.js';
import type { JsonSchema } from '../tools/json-schema.js';
import { type Tool, ToolCatalog } from '../tools/tool-catalog.js';
import { DRY_RUN_ARGUMENT } from './tool-arguments.js';
import { envelopeSchema } from './tool-envelope.js';

/** MCP's tool annotations (hints for the client, not guarantees). */
export interface McpToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A tool as `tools/list` sends it. */
export interface McpToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema & { type: 'object' };
  outputSchema: JsonSchema & { type: 'object' };
  annotations: McpToolAnnotations;
  _meta?: Record<string, unknown>;
}

/** A catalog tool and its MCP definition. */
export interface McpToolEntry {
  tool: Tool;
  definition: McpToolDefinition;
}

const DRY_RUN_FIELD: JsonSchema = {
  type: 'boolean',
  description:
    'true: do not send anything; answer with the request this write would send (secrets redacted).',
};

/**
 * The tools an MCP caller sees: one per operation of the usable (enabled and configured)
 * integrations, limited by the caller's token (its integrations; only reads for a read-only
 * token). Seed aliases are not listed (they would double the list an agent reads) but can be
 * called by name. Lists are built once per token shape and configuration generation.
 */
export class McpToolbox {
  private readonly visibleCache = new Map<string, McpToolEntry[]>();
  private readonly entries = new WeakMap<Tool, McpToolEntry>();
  private allByName: Map<string, Tool> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly host: IntegrationHost,
    private readonly catalog: ToolCatalog = new ToolCatalog(),
    private readonly approvals?: ApprovalService,
  ) {
    // Rebuilt after any change: a configuration changes what is usable, and tools defined at run
    // time (custom tools) change what exists.
    this.unsubscribe = host.onChange(() => {
      this.visibleCache.clear();
      this.allByName = undefined;
    });
  }

  /** The listed tools for this caller (`undefined`: a local command, which sees all). */
  visible(principal: Principal | undefined): McpToolEntry[] {
    const key = principalKey(principal);
    let list = this.visibleCache.get(key);
    if (!list) {
      const definitions = this.host.usable().map((entry) => entry.definition);
      list = this.catalog
        .tools(definitions)
        .filter((tool) => tool.aliasOf === undefined && mayList(principal, tool))
        .map((tool) => this.entry(tool));
      this.visibleCache.set(key, list);
    }
    return list;
  }

  /** Any tool of any integration this hub serves, by name or alias (usable or not). */
  find(name: string): McpToolEntry | undefined {
    this.allByName ??= new Map(
      this.catalog.tools(this.host.allDefinitions()).map((tool) => [tool.name, tool]),
    );
    const tool = this.allByName.get(name);
    return tool && this.entry(tool);
  }

  /** Stops following configuration changes. */
  close(): void {
    this.unsubscribe();
  }

  private entry(tool: Tool): McpToolEntry {
    let entry = this.entries.get(tool);
    if (!entry) {
      entry = { tool, definition: this.definition(tool) };
      this.entries.set(tool, entry);
    }
    return entry;
  }

  private definition(tool: Tool): McpToolDefinition {
    const write = tool.kind === 'write';
    const properties = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
    const dryRunArgument = write && !Object.hasOwn(properties, DRY_RUN_ARGUMENT);
    const approval = write && this.approvals?.needsApproval(tool.integration, tool.operation);
    const timeoutSeconds = (this.approvals?.timeoutMs ?? 0) / 1000;
    let description = tool.description;
    if (dryRunArgument) {
      description +=
        ' Pass dry_run: true to get the request it would send (secrets redacted) without sending it.';
    }
    if (approval) {
      description += ` Needs an admin's approval: the call waits up to ${timeoutSeconds} s for it and fails with ApprovalDenied or ApprovalTimedOut otherwise.`;
    }
    return {
      name: tool.name,
      title: tool.annotations.title,
      description,
      inputSchema: {
        ...tool.inputSchema,
        type: 'object',
        ...(dryRunArgument ? { properties: { ...properties, [DRY_RUN_ARGUMENT]: DRY_RUN_FIELD } } : {}),
      },
      outputSchema: envelopeSchema(tool.outputSchema, { dryRun: true }) as McpToolDefinition['outputSchema'],
      annotations: tool.annotations,
      ...(approval
        ? { _meta: { 'patchbay/approvalRequired': true, 'patchbay/approvalTimeoutSeconds': timeoutSeconds } }
        : {}),
    };
  }
}

function principalKey(principal: Principal | undefined): string {
  if (!principal) return 'local';
  return `${principal.readOnly ? 'ro' : 'rw'}:${principal.integrations?.join(',') ?? '*'}`;
}

/** Whether the caller's token lets it list (and call) this tool. */
export function mayList(principal: Principal | undefined, tool: Tool): boolean {
  if (!principal) return true;
  if (principal.integrations !== null && !principal.integrations.includes(tool.integration)) return false;
  return !(principal.readOnly && tool.kind === 'write');
}
