import type { Command } from 'commander';
import { printJson, printTable } from './output.js';

/** The integrations this build of the hub serves (`patchbay serve` runs with none for now). */
export const KNOWN_INTEGRATIONS: readonly { name: string; description: string }[] = [];

export function registerIntegrations(program: Command): void {
  const integrations = program.command('integrations').description('The integrations the hub knows');

  integrations
    .command('list')
    .description('List the integrations the hub knows')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        printJson(KNOWN_INTEGRATIONS.map((i) => ({ name: i.name, description: i.description })));
        return;
      }
      printTable(
        ['NAME', 'DESCRIPTION'],
        KNOWN_INTEGRATIONS.map((i) => [i.name, i.description]),
      );
    });
}
