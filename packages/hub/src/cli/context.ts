import type { IntegrationDefinition } from '@patchbay/core';
import type { Command } from 'commander';
import { pino } from 'pino';
import { type HubConfig, loadHubConfig } from '../config/index.js';
import { type HubCore, openHubCore } from '../runtime/open-hub-core.js';
import { createRepositories, openDatabase, type Repositories } from '../storage/index.js';

/** Options every command takes (they override the env). */
export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
}

/** The env the command works with: `process.env` with the global options applied. */
export function commandEnv(command: Command): Record<string, string | undefined> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const env: Record<string, string | undefined> = { ...process.env };
  if (options.dataDir !== undefined) env.PATCHBAY_DATA_DIR = options.dataDir;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  return env;
}

/** The hub's validated config, as `patchbay serve` would see it. */
export function commandConfig(command: Command): Promise<HubConfig> {
  return loadHubConfig({ env: commandEnv(command) });
}

/** Opens the hub's database (migrating it), runs `fn`, and closes it. */
export async function withRepositories<T>(
  config: HubConfig,
  fn: (repositories: Repositories) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    dataDir: config.dataDir,
  });
  try {
    return await fn(createRepositories(database));
  } finally {
    await database.close();
  }
}

/**
 * Opens the hub's state as `patchbay serve` would (same config, storage, secrets and
 * integrations), runs `fn`, and closes it, flushing the audit log. Logs go to stderr (errors only unless PATCHBAY_LOG_LEVEL), so
 * stdout holds only the command's output.
 */
export async function withHubCore<T>(
  config: HubConfig,
  integrations: readonly IntegrationDefinition[],
  fn: (core: HubCore) => Promise<T>,
): Promise<T> {
  const logger = pino({ level: process.env.PATCHBAY_LOG_LEVEL ?? 'error' }, pino.destination(2));
  const core = await openHubCore({ config, integrations, logger });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
