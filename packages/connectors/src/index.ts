// @patchbay/connectors: one folder per integration, each declared once with defineIntegration.
import type { IntegrationDefinition } from '@patchbay/core';
import { github } from './github/index.js';
import { jira } from './jira/index.js';
import { rest } from './rest/index.js';
import { slack } from './slack/index.js';
import { transactionsIntegration } from './transactions/index.js';
import { zendeskIntegration } from './zendesk/index.js';

export * from './github/index.js';
export * from './jira/index.js';
export * from './rest/index.js';
export * from './slack/index.js';
export * from './transactions/index.js';
export * from './zendesk/index.js';

/**
 * Every connector this package ships, as the hub serves them. (Widened: an operation's `run`
 * takes its own integration's config type, which the general definition cannot name.)
 */
export const connectors = [
  github,
  jira,
  rest,
  slack,
  zendeskIntegration,
  transactionsIntegration,
] as unknown as readonly IntegrationDefinition[];
