import { connectors } from '@patchbay/connectors';
import type { IntegrationDefinition } from '@patchbay/core';

/** What `npm start`, `patchbay serve` and the other commands serve: every shipped connector. */
export const BUILTIN_INTEGRATIONS: readonly IntegrationDefinition[] = connectors;
