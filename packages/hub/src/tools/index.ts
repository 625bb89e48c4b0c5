export { type AnthropicTool, anthropicInputSchema } from './anthropic-format.js';
export { baseDefinition, customOperation, withCustomTools } from './custom-operation.js';
export {
  CUSTOM_TOOL_METHODS,
  type CustomToolContext,
  type CustomToolMethod,
  CustomToolRequest,
  type CustomToolSpec,
  parseCustomTool,
} from './custom-tool-spec.js';
export { type CustomTool, CustomTools, type CustomToolsOptions } from './custom-tools.js';
export { type GeminiFunctionDeclaration, geminiParameters } from './gemini-format.js';
export { type JsonSchema, toJsonSchema } from './json-schema.js';
export { type OpenAiFunctionTool, openAiParameters } from './openai-format.js';
export { compileParametersSchema, SUPPORTED_KEYWORDS } from './parameters-schema.js';
export { normalizeToolArguments } from './tool-arguments.js';
export {
  applyRename,
  SEED_002_ALIASES,
  searchTools,
  type Tool,
  type ToolAlias,
  type ToolAnnotations,
  ToolCatalog,
  type ToolEndpoint,
  toolName,
} from './tool-catalog.js';
export {
  type ProviderTool,
  type ProviderTools,
  providerTool,
  providerToolName,
  providerTools,
  TOOL_FORMATS,
  type ToolFormat,
} from './tool-formats.js';
export { mayView, type RegistryTool, registryTool, type ToolViewer, toolEndpoint } from './tool-listing.js';
export { registerToolRoutes, type ToolRouteDeps } from './tool-routes.js';
