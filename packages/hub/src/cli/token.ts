import { type Command, Option } from 'commander';
import { generateToken, HUB_SCOPES, hashToken } from '../server/auth.js';
import type { TokenRecord } from '../storage/index.js';
import { commandConfig, withRepositories } from './context.js';
import { CliError, UsageError } from './errors.js';
import { formatTime, printJson, printTable } from './output.js';

interface CreateOptions {
  name: string;
  scope: string;
  integrations?: string;
  readOnly?: boolean;
  json?: boolean;
}

/** A token record as shown: everything but the hash. */
function publicView(record: TokenRecord) {
  return {
    id: record.id,
    name: record.name,
    scopes: record.scopes,
    integrations: record.integrations,
    readOnly: record.readOnly,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    revokedAt: record.revokedAt,
  };
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('Create, list and revoke hub API tokens');

  token
    .command('create')
    .description('Create a token; it is printed once and only its sha256 hash is stored')
    .requiredOption('--name <name>', 'what the token is for')
    .addOption(new Option('--scope <scope>', 'what it may do').choices([...HUB_SCOPES]).makeOptionMandatory())
    .option('--integrations <names>', 'comma-separated integrations it may reach (default: all)')
    .option('--read-only', 'may only call read operations')
    .option('--json', 'print JSON')
    .action(async (options: CreateOptions, command: Command) => {
      const name = options.name.trim();
      if (name === '') throw new UsageError('--name must not be empty');
      let integrations: string[] | null = null;
      if (options.integrations !== undefined) {
        integrations = options.integrations
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        if (integrations.length === 0) throw new UsageError('--integrations needs at least one name');
      }
      const config = await commandConfig(command);
      const secret = generateToken();
      const record = await withRepositories(config, (repos) =>
        repos.tokens.create({
          name,
          tokenHash: hashToken(secret),
          scopes: [options.scope],
          integrations,
          readOnly: options.readOnly ?? false,
        }),
      );
      if (options.json) {
        printJson({ ...publicView(record), token: secret });
        return;
      }
      process.stdout.write(
        `Created token ${record.id} (${record.name}, scope ${options.scope}` +
          `${integrations ? `, integrations ${integrations.join(',')}` : ''}${record.readOnly ? ', read-only' : ''}).\n` +
          `The token is shown this once; only its hash is stored:\n\n  ${secret}\n\n`,
      );
    });

  token
    .command('list')
    .description('List tokens (never the tokens themselves)')
    .option('--active', 'leave out revoked tokens')
    .option('--json', 'print JSON')
    .action(async (options: { active?: boolean; json?: boolean }, command: Command) => {
      const config = await commandConfig(command);
      const records = await withRepositories(config, (repos) =>
        repos.tokens.list({ activeOnly: options.active ?? false }),
      );
      if (options.json) {
        printJson(records.map(publicView));
        return;
      }
      printTable(
        ['ID', 'NAME', 'SCOPES', 'INTEGRATIONS', 'READ-ONLY', 'CREATED', 'LAST USED', 'REVOKED'],
        records.map((r) => [
          r.id,
          r.name,
          r.scopes.join(','),
          r.integrations === null ? '*' : r.integrations.join(','),
          r.readOnly ? 'yes' : 'no',
          formatTime(r.createdAt),
          formatTime(r.lastUsedAt),
          formatTime(r.revokedAt),
        ]),
      );
    });

  token
    .command('revoke')
    .description('Revoke a token by id (a running hub stops accepting it within 5 s)')
    .argument('<id>', 'the token id (from `patchbay token list`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const config = await commandConfig(command);
      const outcome = await withRepositories(config, async (repos) => {
        if (await repos.tokens.revoke(id)) return 'revoked';
        return (await repos.tokens.get(id)) ? 'already' : 'missing';
      });
      if (outcome === 'missing') throw new CliError(`no token with id ${id}`);
      process.stdout.write(
        outcome === 'revoked' ? `Revoked token ${id}.\n` : `Token ${id} was already revoked.\n`,
      );
    });
}
