export { type RestConfig, restAuth, restConfig, restEnv } from './config.js';
export { RestQueryParams, RestRelativePath, RestRequestHeaders, RestResponse } from './request-input.js';
export { isRestIntegration, type RestIntegrationOptions, rest, restIntegration } from './rest.js';
export { restResponse } from './rest-operations.js';
