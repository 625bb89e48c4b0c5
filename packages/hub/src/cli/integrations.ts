import type { IntegrationDefinition } from '@patchbay/core';
import type { Command } from 'commander';
import { printJson, printTable } from './output.js';

export function registerIntegrations(
  program: Command,
  integrations: () => readonly IntegrationDefinition[],
): void {
  const command = program.command('integrations').description('The integrations the hub knows');

  command
    .command('list')
    .description('List the integrations this hub serves, with their operations')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const rows = integrations().map((d) => ({
        name: d.name,
        description: d.description ?? '',
        operations: Object.keys(d.operations).sort(),
      }));
      if (options.json) {
        printJson(rows);
        return;
      }
      printTable(
        ['NAME', 'OPERATIONS', 'DESCRIPTION'],
        rows.map((r) => [r.name, String(r.operations.length), r.description]),
      );
    });
}
