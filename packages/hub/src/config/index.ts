// The hub's configuration: settings, feature flags, config file, and per-integration sources.

export type { ConfigIssue } from './config-error.js';
export { ConfigError, describeValue, isConfigError, isSensitiveName } from './config-error.js';
export { CONFIG_FILE_NAMES } from './config-file.js';
export type { ConfigOrigin } from './config-layers.js';
export type { HubSettingKey, HubSettings, LogLevel } from './hub-settings.js';
export { HUB_SETTINGS, LOG_LEVELS } from './hub-settings.js';
export type { FieldOrigin, IntegrationSources } from './integration-sources.js';
export { hubPolicies, integrationConfigIssues, integrationSources } from './integration-sources.js';
export { interpolate } from './interpolate.js';
export type { HubConfig, IntegrationLayers, LoadHubConfigOptions, StoredConfig } from './load-hub-config.js';
export { describeHubConfig, loadHubConfig } from './load-hub-config.js';
