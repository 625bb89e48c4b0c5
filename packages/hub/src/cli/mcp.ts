import type { IntegrationDefinition } from '@patchbay/core';
import type { Command } from 'commander';
import { ApprovalService } from '../approvals/index.js';
import { runMcpStdio, stdioPrincipal } from '../mcp/index.js';
import { commandConfig, withHubCore } from './context.js';

export function registerMcp(program: Command, integrations: () => readonly IntegrationDefinition[]): void {
  program
    .command('mcp')
    .description(
      "Serve the hub's operations as MCP tools over stdio (as PATCHBAY_TOKEN's token when set, else as the local owner); stdout carries only the protocol",
    )
    .action(async (_options: unknown, command: Command) => {
      const config = await commandConfig(command);
      await withHubCore(config, integrations(), async (core) => {
        const approvals = new ApprovalService({
          host: core.integrations,
          repository: core.repositories.approvals,
          settings: { required: config.approvalRequired, timeoutSeconds: config.approvalTimeout },
          audit: core.audit,
        });
        try {
          const principal = await stdioPrincipal(core.repositories.tokens, process.env.PATCHBAY_TOKEN);
          const mcp = await runMcpStdio({
            integrations: core.integrations,
            invoker: core.invoker,
            catalog: core.catalog,
            approvals,
            principal,
          });
          await mcp.closed;
        } finally {
          approvals.close();
        }
      });
    });
}
