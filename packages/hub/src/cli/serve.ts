import type { IntegrationDefinition } from '@patchbay/core';
import type { Command } from 'commander';
import { isConfigError } from '../config/index.js';
import { commandEnv } from './context.js';
import { ReportedError } from './errors.js';

export function registerServe(program: Command, integrations: () => readonly IntegrationDefinition[]): void {
  program
    .command('serve')
    .description('Run the hub (HOST:PORT, storage under --data-dir or DATABASE_URL) until SIGTERM/SIGINT')
    .action(async (_options: unknown, command: Command) => {
      try {
        // Loaded here, so the other commands do not load the server.
        const { runHub } = await import('../server/run-hub.js');
        await runHub({ integrations: integrations(), load: { env: commandEnv(command) } });
      } catch (error) {
        // runHub has already printed a config error, naming the variable.
        if (isConfigError(error)) throw new ReportedError();
        throw error;
      }
    });
}
