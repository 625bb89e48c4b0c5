import type { JsonSchema } from './json-schema.js';
import type { Tool, ToolEndpoint } from './tool-catalog.js';

/** Seed 002's `IntegrationToolRegistry` entry, with what an agent needs to call it over REST. */
export interface RegistryTool {
  name: string;
  description: string;
  service: 'integrations';
  /** The REST route that calls the tool (see `method`). */
  endpoint: string;
  method: ToolEndpoint['method'];
  parameters_schema: JsonSchema;
  integration: string;
  operation: string;
  kind: 'read' | 'write';
}

/** Who may see a tool: a token may be limited to some integrations, or to reads. */
export interface ToolViewer {
  integrations: readonly string[] | null;
  readOnly: boolean;
}

/** The REST route of a tool: the seed's own for its aliases, else the generic operation route. */
export function toolEndpoint(tool: Tool): ToolEndpoint {
  return (
    tool.endpoint ?? {
      method: 'POST',
      path: `/api/integrations/${encodeURIComponent(tool.integration)}/operations/${encodeURIComponent(tool.operation)}`,
    }
  );
}

/** The tool as the registry lists it. */
export function registryTool(tool: Tool): RegistryTool {
  const endpoint = toolEndpoint(tool);
  return {
    name: tool.name,
    description: tool.description,
    service: 'integrations',
    endpoint: endpoint.path,
    method: endpoint.method,
    parameters_schema: tool.inputSchema,
    integration: tool.integration,
    operation: tool.operation,
    kind: tool.kind,
  };
}

/** True when the viewer (`undefined`: a local caller) may see and call the tool. */
export function mayView(viewer: ToolViewer | undefined, tool: Pick<Tool, 'integration' | 'kind'>): boolean {
  if (!viewer) return true;
  if (viewer.integrations !== null && !viewer.integrations.includes(tool.integration)) return false;
  return !(viewer.readOnly && tool.kind !== 'read');
}
