// `patchbay`: the hub's command (bin/patchbay.mjs loads this through tsx).
import { BUILTIN_INTEGRATIONS } from '../builtin-integrations.js';
import { createProgram } from './program.js';
import { runCli } from './run-cli.js';

process.exitCode = await runCli(
  createProgram(() => BUILTIN_INTEGRATIONS),
  process.argv,
);
