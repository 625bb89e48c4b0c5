import type { IntegrationDefinition } from '@patchbay/core';
import {
  describeHubConfig,
  isConfigError,
  type LoadHubConfigOptions,
  loadHubConfig,
} from '../config/index.js';
import { type CreateHubOptions, createHub, type Hub } from './create-hub.js';

export interface RunHubOptions extends Omit<CreateHubOptions, 'config' | 'integrations'> {
  /** The integrations to serve. @default none */
  integrations?: readonly IntegrationDefinition[];
  /** Passed to `loadHubConfig` (env, cwd). */
  load?: LoadHubConfigOptions;
  /** Install SIGTERM/SIGINT handlers that close the hub gracefully and exit. @default true */
  handleSignals?: boolean;
  /** Longest a graceful close may take before the process exits anyway, ms. @default 15000 */
  shutdownTimeoutMs?: number;
}

/**
 * What `npm start` runs: loads the config (a bad value stops here, naming it), builds the hub with
 * the given integrations, listens on HOST:PORT and closes gracefully on SIGTERM/SIGINT (in-flight
 * requests finish, the audit log is flushed, storage closed).
 * @example
 * await runHub({ integrations: [github, jira] });
 */
export async function runHub(options: RunHubOptions = {}): Promise<Hub> {
  const {
    integrations = [],
    load,
    handleSignals = true,
    shutdownTimeoutMs = 15_000,
    ...hubOptions
  } = options;
  let config: Awaited<ReturnType<typeof loadHubConfig>>;
  try {
    config = await loadHubConfig(load);
  } catch (error) {
    if (isConfigError(error)) {
      process.stderr.write(`patchbay: ${error.message}\n`);
      process.exitCode = 1;
    }
    throw error;
  }
  const hub = await createHub({ ...hubOptions, config, integrations });
  const url = await hub.start();
  hub.app.log.info({ url, config: describeHubConfig(config) }, `patchbay hub listening on ${url}`);

  if (handleSignals) {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        hub.app.log.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      hub.app.log.info(`${signal}: closing (finishing requests, flushing the audit log)`);
      const timer = setTimeout(() => {
        hub.app.log.error('graceful close took too long; exiting');
        process.exit(1);
      }, shutdownTimeoutMs);
      timer.unref();
      hub.close().then(
        () => process.exit(0),
        (error) => {
          hub.app.log.error({ err: error }, 'close failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  return hub;
}
