// @patchbay/connectors: one folder per integration, each declared once with defineIntegration.
export * from './github/index.js';
export * from './jira/index.js';
export * from './slack/index.js';
export * from './transactions/index.js';
export * from './zendesk/index.js';
