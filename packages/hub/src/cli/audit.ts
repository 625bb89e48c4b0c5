import type { Command } from 'commander';
import { commandConfig, withRepositories } from './context.js';
import { CliError } from './errors.js';
import { printJson } from './output.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit log');

  audit
    .command('verify')
    .description('Recompute the audit chain: exit 0 when intact, 1 naming the first bad row')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = await commandConfig(command);
      const result = await withRepositories(config, (repos) => repos.audit.verifyChain());
      if (options.json) printJson(result);
      if (result.ok) {
        if (!options.json) {
          process.stdout.write(
            `Audit log intact: ${result.rows} row${result.rows === 1 ? '' : 's'}` +
              `${result.head ? `, head seq ${result.head.seq}` : ''}.\n`,
          );
        }
        return;
      }
      throw new CliError(
        `audit log verification failed at seq ${result.seq} (${result.reason}): ${result.message}; ` +
          `${result.rows} row${result.rows === 1 ? '' : 's'} before it verified`,
      );
    });
}
