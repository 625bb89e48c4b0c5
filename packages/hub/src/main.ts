// The hub's entry point (`npm start` runs it through scripts/start.mjs). To serve integrations,
// call `runHub({ integrations: [...] })` from `@patchbay/hub` instead.
import { isConfigError } from './config/index.js';
import { runHub } from './server/run-hub.js';

try {
  await runHub({ integrations: [] });
} catch (error) {
  if (!isConfigError(error))
    process.stderr.write(`patchbay: could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
