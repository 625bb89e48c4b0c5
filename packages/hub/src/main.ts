// The hub's entry point (`npm start` runs it through scripts/start.mjs): every shipped connector,
// each enabled once its config is set (env, config file or the configure route).
import { BUILTIN_INTEGRATIONS } from './builtin-integrations.js';
import { isConfigError } from './config/index.js';
import { runHub } from './server/run-hub.js';

try {
  await runHub({ integrations: BUILTIN_INTEGRATIONS });
} catch (error) {
  if (!isConfigError(error))
    process.stderr.write(`patchbay: could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
