import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@patchbay/core';
import { type ApprovalService, type ApprovalView, GatedInvoker } from '../approvals/index.js';
import type { OperationInvoker } from '../operations/operation-invoker.js';
import type { Principal } from '../server/auth.js';
import { HubError } from '../server/hub-errors.js';
import type { IntegrationHost } from '../server/integration-host.js';
import { applyRename, type ToolCatalog } from '../tools/tool-catalog.js';
import { runSearchTools, SEARCH_TOOLS, SEARCH_TOOLS_DEFINITION } from './search-tools.js';
import { prepareArguments } from './tool-arguments.js';
import { hubErrorResult, outcomeResult, ownResult, unexpectedResult } from './tool-results.js';
import { McpToolbox, type McpToolDefinition } from './toolbox.js';

/** What the MCP edge needs of the hub; `Hub` and `HubCore` both have the first two. */
export interface McpDeps {
  /** The hub's integrations (`hub.integrations`): tools follow their configuration. */
  integrations: IntegrationHost;
  /** The hub's invoker (`hub.invoker`): every call is validated, limited, audited as a REST call is. */
  invoker: OperationInvoker;
  /** Writes that wait for an admin's approval; without it none does. */
  approvals?: ApprovalService;
  catalog?: ToolCatalog;
  log?: Logger;
  /** How often a call waiting for approval tells a client that asked for progress, ms. @default 10000 */
  approvalProgressMs?: number;
}

/** The caller of one tools/call. */
export interface CallContext {
  /** `undefined`: a local command (stdio without a token), which may call anything. */
  principal: Principal | undefined;
  /** Ends the call when the client cancels it or goes away. */
  signal: AbortSignal;
  /** Set when the client asked for progress: while the call waits for approval it hears why. */
  sendProgress?: (progress: number, message: string) => Promise<void>;
}

type CallParams = { name: string; arguments?: unknown; _meta?: Record<string, unknown> | undefined };

/**
 * The hub's tools as MCP sees them, independent of the transport: the list for a caller, and a
 * call, which goes through the approval gate and the operation invoker (one validation, one set
 * of limits, one audit log, whichever edge). Every outcome an agent can act on (bad input, an
 * open breaker, a refusal) comes back as a tool result, `isError` with the typed error body;
 * only an unknown tool name is a protocol error, as MCP asks.
 */
export class McpTools {
  readonly toolbox: McpToolbox;
  private readonly calls: GatedInvoker;

  constructor(private readonly deps: McpDeps) {
    this.toolbox = new McpToolbox(deps.integrations, deps.catalog, deps.approvals);
    this.calls = new GatedInvoker(deps.invoker, deps.approvals);
  }

  get log(): Logger | undefined {
    return this.deps.log;
  }

  list(principal: Principal | undefined): McpToolDefinition[] {
    return [SEARCH_TOOLS_DEFINITION, ...this.toolbox.visible(principal).map((entry) => entry.definition)];
  }

  /** A fingerprint of the caller's list: when it changes, the client is told (`list_changed`). */
  listKey(principal: Principal | undefined): string {
    return this.toolbox
      .visible(principal)
      .map((entry) => entry.tool.name)
      .join('\n');
  }

  async call(params: CallParams, context: CallContext): Promise<CallToolResult> {
    const requestId = randomUUID();
    let progress: NodeJS.Timeout | undefined;
    try {
      if (params.name === SEARCH_TOOLS) {
        const { input } = prepareArguments(params.arguments, SEARCH_TOOLS_DEFINITION.inputSchema);
        return ownResult(
          runSearchTools(this.toolbox, context.principal, input as Record<string, unknown>),
          requestId,
        );
      }
      const entry = this.toolbox.find(params.name);
      if (!entry) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool ${params.name}; search_tools finds tools by keyword`,
        );
      }
      const { tool } = entry;
      const prepared = prepareArguments(params.arguments, tool.inputSchema, params._meta);
      const outcome = await this.calls.invoke({
        integration: tool.integration,
        operation: tool.operation,
        input: applyRename(prepared.input, tool.rename),
        principal: context.principal,
        requestId,
        channel: 'mcp',
        signal: context.signal,
        ...(prepared.dryRun ? { dryRun: true } : {}),
        onWaiting: (approval) => {
          progress = this.reportWaiting(approval, context);
        },
      });
      return outcomeResult(outcome, requestId, prepared.dryRun);
    } catch (error) {
      if (error instanceof McpError) throw error;
      if (error instanceof HubError) return hubErrorResult(error, requestId);
      this.deps.log?.error({ err: error, tool: params.name, requestId }, 'MCP tool call failed unexpectedly');
      return unexpectedResult(requestId);
    } finally {
      clearInterval(progress);
    }
  }

  /** Stops following configuration changes. */
  close(): void {
    this.toolbox.close();
  }

  /**
   * Tells a client that asked for progress which approval its call waits for, then keeps telling
   * it (a client that resets its request timeout on progress then waits as long as the approval).
   */
  private reportWaiting(approval: ApprovalView, context: CallContext): NodeJS.Timeout | undefined {
    const send = context.sendProgress;
    if (!send) return undefined;
    const message =
      `Waiting for an admin to approve ${approval.integration}.${approval.operation} ` +
      `(approval ${approval.id}, until ${new Date(approval.expiresAt).toISOString()}; ` +
      `POST /api/approvals/${approval.id}/grant or /deny)`;
    let step = 0;
    const tell = () => {
      send(step++, message).catch(() => undefined);
    };
    tell();
    return setInterval(tell, this.deps.approvalProgressMs ?? 10_000);
  }
}
