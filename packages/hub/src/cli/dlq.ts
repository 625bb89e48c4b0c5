import type { IntegrationDefinition } from '@patchbay/core';
import { type Command, Option } from 'commander';
import type { DeadLetter, DeadLetterStatus, Repositories } from '../storage/index.js';
import { commandConfig, withHubCore, withRepositories } from './context.js';
import { CliError, UsageError } from './errors.js';
import { formatTime, printJson, printTable } from './output.js';
import { progressBar } from './progress.js';

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

interface ReplayOptions {
  all?: boolean;
  integration?: string;
  status?: DeadLetterStatus;
  json?: boolean;
}

/** Every entry matching the filter, oldest first (replays keep the order writes failed in). */
async function selectLetters(
  repos: Repositories,
  filter: { integration?: string; statuses: readonly DeadLetterStatus[] },
): Promise<DeadLetter[]> {
  const rows: DeadLetter[] = [];
  for (const status of filter.statuses) {
    let cursor: string | undefined;
    do {
      const page = await repos.deadLetters.list({
        status,
        ...(filter.integration ? { integration: filter.integration } : {}),
        ...(cursor ? { cursor } : {}),
        limit: 1000,
      });
      rows.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  return rows.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export function registerDlq(program: Command, integrations: () => readonly IntegrationDefinition[]): void {
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

  dlq
    .command('replay')
    .description(
      'Replay dead letters with their original idempotency keys, oldest first, with a progress bar; exit 1 if any fails again',
    )
    .argument('[ids...]', 'the dead letters to replay')
    .option('--all', 'every pending and failed dead letter (narrow it with --integration / --status)')
    .option('--integration <name>', 'with --all: only this integration')
    .addOption(new Option('--status <status>', 'with --all: only this status').choices(['pending', 'failed']))
    .option('--json', 'print each outcome as JSON')
    .action(async (ids: string[], options: ReplayOptions, command: Command) => {
      if (ids.length > 0 === (options.all === true))
        throw new UsageError('give dead-letter ids or --all, not both');
      if (!options.all && (options.integration || options.status)) {
        throw new UsageError('--integration and --status go with --all');
      }
      const config = await commandConfig(command);
      const results = await withHubCore(config, integrations(), async (core) => {
        const targets = options.all
          ? (
              await selectLetters(core.repositories, {
                ...(options.integration ? { integration: options.integration } : {}),
                statuses: options.status ? [options.status] : ['pending', 'failed'],
              })
            ).map((l) => l.id)
          : ids;
        const progress = progressBar('Replaying', targets.length);
        const out: { id: string; status: 'replayed' | 'failed'; error?: unknown }[] = [];
        try {
          for (const id of targets) {
            try {
              const outcome = await core.invoker.replay(id);
              out.push(
                outcome.ok ? { id, status: 'replayed' } : { id, status: 'failed', error: outcome.body },
              );
            } catch (error) {
              // Unknown id, already replayed, integration gone: reported, the others go on.
              out.push({
                id,
                status: 'failed',
                error: {
                  type: (error as { type?: string }).type ?? 'Error',
                  message: (error as Error).message,
                },
              });
            }
            progress.tick();
          }
        } finally {
          progress.stop();
        }
        return out;
      });
      const failed = results.filter((r) => r.status === 'failed');
      if (options.json) printJson(results);
      else {
        for (const r of failed) {
          const error = r.error as { type?: string; message?: string } | undefined;
          process.stdout.write(`${r.id}: failed: ${error?.type ?? 'Error'}: ${error?.message ?? ''}\n`);
        }
        process.stdout.write(
          `Replayed ${results.length - failed.length} of ${results.length} dead letter(s).\n`,
        );
      }
      if (failed.length > 0) throw new CliError(`${failed.length} dead letter(s) failed again`);
    });
}
