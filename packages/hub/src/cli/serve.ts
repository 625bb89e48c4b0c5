import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntegrationDefinition } from '@patchbay/core';
import type { Command } from 'commander';
import { isConfigError } from '../config/index.js';
import { commandEnv, type GlobalOptions } from './context.js';
import { ReportedError } from './errors.js';

export function registerServe(program: Command, integrations: () => readonly IntegrationDefinition[]): void {
  program
    .command('serve')
    .description('Run the hub (HOST:PORT, storage under --data-dir or DATABASE_URL) until SIGTERM/SIGINT')
    .option(
      '--demo',
      'start fake GitHub, Jira, Slack, Zendesk and payments APIs on loopback and point every integration at them (a fresh data dir unless --data-dir is given)',
    )
    .action(async (options: { demo?: boolean }, command: Command) => {
      const env = commandEnv(command);
      // Loaded here, so the other commands do not load the server (or the fakes).
      const { runHub } = await import('../server/run-hub.js');
      let closeDemo: (() => Promise<void>) | undefined;
      try {
        if (options.demo) {
          const { startDemoUpstreams } = await import('../demo/demo-upstreams.js');
          const demo = await startDemoUpstreams();
          closeDemo = demo.close;
          Object.assign(env, demo.env);
          if (command.optsWithGlobals<GlobalOptions>().dataDir === undefined) {
            env.PATCHBAY_DATA_DIR = mkdtempSync(join(tmpdir(), 'patchbay-demo-'));
          }
          process.stderr.write(
            `patchbay: demo upstreams on loopback: ${Object.entries(demo.urls)
              .map(([name, url]) => `${name} ${url}`)
              .join(', ')}\n`,
          );
        }
        await runHub({
          integrations: integrations(),
          load: { env },
          // The demo's upstreams are on loopback: let URLs set through the API reach them too.
          ...(options.demo ? { egress: { allow: ['127.0.0.1'] } } : {}),
        });
      } catch (error) {
        await closeDemo?.();
        // runHub has already printed a config error, naming the variable.
        if (isConfigError(error)) throw new ReportedError();
        throw error;
      }
    });
}
