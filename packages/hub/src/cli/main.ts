// `patchbay`: the hub's command (bin/patchbay.mjs loads this through tsx).
import { createProgram } from './program.js';
import { runCli } from './run-cli.js';

process.exitCode = await runCli(createProgram(), process.argv);
