import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IntegrationDefinition } from '@patchbay/core';
import type { Command } from 'commander';
import type { InvocationOutcome } from '../operations/operation-invoker.js';
import { commandConfig, withHubCore } from './context.js';
import { CliError, EXIT_CODE_BY_ERROR_TYPE, EXIT_CODES, UsageError } from './errors.js';
import { printJson } from './output.js';

interface CallOptions {
  input?: string;
  inputFile?: string;
  dryRun?: boolean;
  idempotencyKey?: string;
}

/** `github.search_repositories` (or `github_search_repositories`) as integration and operation. */
export function parseTarget(target: string, known: readonly IntegrationDefinition[]): [string, string] {
  const dot = target.indexOf('.');
  if (dot > 0) return [target.slice(0, dot), target.slice(dot + 1)];
  const owner = known
    .filter((d) => target.startsWith(`${d.name}_`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (owner) return [owner.name, target.slice(owner.name.length + 1)];
  throw new UsageError(
    `${JSON.stringify(target)} is not <integration>.<operation> (e.g. github.search_repositories)`,
  );
}

function readInput(options: CallOptions): unknown {
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new UsageError('give --input or --input-file, not both');
  }
  let text = options.input;
  if (options.inputFile !== undefined) {
    try {
      text = readFileSync(options.inputFile === '-' ? 0 : options.inputFile, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --input-file: ${(error as Error).message}`);
    }
  }
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input is not valid JSON: ${(error as Error).message}`);
  }
}

/** The exit code of a failed outcome: by the integration error's class. */
export function exitCodeOf(outcome: InvocationOutcome): number {
  if (outcome.ok) return EXIT_CODES.ok;
  return (
    EXIT_CODE_BY_ERROR_TYPE[outcome.body.type as keyof typeof EXIT_CODE_BY_ERROR_TYPE] ?? EXIT_CODES.failure
  );
}

export function registerCall(program: Command, integrations: () => readonly IntegrationDefinition[]): void {
  program
    .command('call')
    .description(
      "Call one operation with the hub's config and secrets, as the REST route would (audited; a failed write is dead-lettered). " +
        'Prints the result, or {"error": …}, as JSON. Exit code by error class: 2 bad input, 3 auth, 4 rate limited, 5 temporary, 6 permanent',
    )
    .argument('<target>', 'integration.operation, e.g. github.search_repositories')
    .option('--input <json>', 'the operation input as JSON (default {})')
    .option('--input-file <path>', 'read the input JSON from a file, or - for stdin')
    .option('--dry-run', 'show the write it would send (secrets redacted) instead of sending it')
    .option('--idempotency-key <key>', 'sent with the write, kept if it is dead-lettered')
    .action(async (target: string, options: CallOptions, command: Command) => {
      const known = integrations();
      const [integration, operation] = parseTarget(target, known);
      const input = readInput(options);
      const config = await commandConfig(command);
      const outcome = await withHubCore(config, known, (core) =>
        core.invoker.invoke({
          integration,
          operation,
          input,
          requestId: randomUUID(),
          channel: 'cli',
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
        }),
      ).catch((error: unknown) => {
        // Unknown integration or operation: a usage error naming what exists.
        if (error instanceof Error && (error as { type?: string }).type === 'HubNotFound') {
          throw new UsageError(error.message);
        }
        throw error;
      });
      if (outcome.ok) {
        printJson(outcome.result);
        return;
      }
      printJson({
        error: {
          ...outcome.body,
          ...(outcome.deadLetterId === undefined ? {} : { deadLetterId: outcome.deadLetterId }),
        },
      });
      throw new CliError(`${outcome.body.type}: ${outcome.body.message}`, exitCodeOf(outcome));
    });

  program
    .command('test')
    .description('Check an integration with a live call (its health check); exit 0 when it answers')
    .argument('<name>', 'the integration, e.g. github')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const known = integrations();
      if (!known.some((d) => d.name === name)) {
        throw new UsageError(
          `no integration named ${name} (known: ${known.map((d) => d.name).join(', ') || 'none'})`,
        );
      }
      const config = await commandConfig(command);
      const health = await withHubCore(config, known, async (core) => {
        const entry = core.integrations.get(name);
        if (!entry) throw new UsageError(`no integration named ${name}`);
        return entry.integration.healthCheck();
      });
      if (options.json) printJson(health);
      else {
        const latency = health.latencyMs === undefined ? '' : ` (${Math.round(health.latencyMs)} ms)`;
        process.stdout.write(`${name}: ${health.status}: ${health.message}${latency}\n`);
      }
      if (health.status === 'ready') return;
      const type = /^(\w+):/.exec(health.message)?.[1] as keyof typeof EXIT_CODE_BY_ERROR_TYPE | undefined;
      const code =
        health.status === 'disabled' || health.status === 'not_configured'
          ? EXIT_CODE_BY_ERROR_TYPE.IntegrationNotConfigured
          : ((type && EXIT_CODE_BY_ERROR_TYPE[type]) ?? EXIT_CODES.failure);
      throw new CliError(`${name} is not healthy: ${health.message}`, code);
    });
}
