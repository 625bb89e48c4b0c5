import { type Command, Option } from 'commander';
import type { DeadLetter, DeadLetterStatus } from '../storage/index.js';
import { commandConfig, withRepositories } from './context.js';
import { UsageError } from './errors.js';
import { formatTime, printJson, printTable } from './output.js';

const STATUSES: readonly DeadLetterStatus[] = ['pending', 'replayed', 'failed'];

interface ListOptions {
  status?: DeadLetterStatus;
  integration?: string;
  limit?: string;
  json?: boolean;
}

function errorType(error: unknown): string {
  if (error && typeof error === 'object' && 'type' in error && typeof error.type === 'string')
    return error.type;
  return '-';
}

/** A dead letter as shown: its input stays encrypted and is left out. */
function publicView(entry: DeadLetter) {
  const { inputCiphertext: _input, ...rest } = entry;
  return rest;
}

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('The dead-letter queue of failed write operations');

  dlq
    .command('list')
    .description('List dead letters, newest first (inputs stay encrypted and are not shown)')
    .addOption(new Option('--status <status>', 'only this status').choices([...STATUSES]))
    .option('--integration <name>', 'only this integration')
    .option('--limit <n>', 'at most this many (default: all)')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions, command: Command) => {
      let limit = Number.POSITIVE_INFINITY;
      if (options.limit !== undefined) {
        limit = Number(options.limit);
        if (!Number.isSafeInteger(limit) || limit < 1)
          throw new UsageError('--limit must be a positive integer');
      }
      const config = await commandConfig(command);
      const entries = await withRepositories(config, async (repos) => {
        const rows: DeadLetter[] = [];
        let cursor: string | undefined;
        do {
          const page = await repos.deadLetters.list({
            ...(options.status ? { status: options.status } : {}),
            ...(options.integration ? { integration: options.integration } : {}),
            ...(cursor ? { cursor } : {}),
            limit: Math.min(1000, limit - rows.length),
          });
          rows.push(...page.rows);
          cursor = page.nextCursor;
        } while (cursor !== undefined && rows.length < limit);
        return rows;
      });
      if (options.json) {
        printJson(entries.map(publicView));
        return;
      }
      printTable(
        ['ID', 'AT', 'INTEGRATION', 'OPERATION', 'STATUS', 'ATTEMPTS', 'ERROR', 'REQUEST ID'],
        entries.map((e) => [
          e.id,
          formatTime(e.at),
          e.integration,
          e.operation,
          e.status,
          String(e.attempts),
          errorType(e.error),
          e.requestId ?? '-',
        ]),
      );
    });
}
