import type { IntegrationDefinition } from '@patchbay/core';
import { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerCall } from './call.js';
import { registerDlq } from './dlq.js';
import { registerIntegrations } from './integrations.js';
import { registerMcp } from './mcp.js';
import { registerSecrets } from './secrets.js';
import { registerServe } from './serve.js';
import { registerToken } from './token.js';

/** The `patchbay` command tree. Commander errors are thrown (exitOverride), never exit the process. */
export function createProgram(integrations: () => readonly IntegrationDefinition[] = () => []): Command {
  const program = new Command('patchbay')
    .description('Patchbay hub: serve it, and manage its tokens, audit log, dead letters and secrets')
    .option('--data-dir <dir>', 'where the SQLite file and key file live (overrides PATCHBAY_DATA_DIR)')
    .option('--database-url <url>', 'a PostgreSQL URL (overrides DATABASE_URL)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  // Subcommands created below inherit exitOverride and the help-after-error hint.
  registerServe(program, integrations);
  registerIntegrations(program, integrations);
  registerToken(program);
  registerAudit(program);
  registerCall(program, integrations);
  registerDlq(program, integrations);
  registerMcp(program, integrations);
  registerSecrets(program);
  return program;
}
