import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { conflict, forbidden, invalid, notFound, zodIssues } from '../server/hub-errors.js';
import type { IntegrationHost } from '../server/integration-host.js';
import type { CustomTool, CustomTools } from './custom-tools.js';
import { ProviderToolCache } from './provider-tool-cache.js';
import { searchTools, type Tool, ToolCatalog } from './tool-catalog.js';
import { providerTools, TOOL_FORMATS } from './tool-formats.js';
import { mayView, type RegistryTool, registryTool } from './tool-listing.js';

export interface ToolRouteDeps {
  host: IntegrationHost;
  customTools: CustomTools;
  /** Share the MCP server's, so schemas are converted once. @default a new one */
  catalog?: ToolCatalog;
}

const ToolsQuery = z.strictObject({
  /** Each provider's tool definitions instead of seed 002's registry entries. */
  format: z.enum(TOOL_FORMATS).optional(),
  integration: z.string().min(1).optional(),
  /** Keywords: only tools whose name or description hold every word, best first. */
  q: z.string().trim().min(1).max(200).optional(),
});
const ToolQuery = ToolsQuery.pick({ format: true });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalid('Invalid tools query', zodIssues(parsed.error.issues, 'query'));
  return parsed.data;
}

/** How a custom tool sends its request, as the API shows it. */
function customView(custom: CustomTool) {
  const { spec } = custom;
  return {
    method: spec.method,
    path: spec.path,
    query: spec.query,
    body: spec.body,
    headers: spec.headers,
    idempotent: spec.idempotent,
    createdAt: custom.createdAt,
    createdBy: custom.createdBy,
  };
}

/**
 * The tool registry (seed 002's `IntegrationToolRegistry`) over REST:
 * - `GET /api/tools` (viewer): the tools of the usable integrations the token may reach (a
 *   read-only token sees reads only), as `{ tools: [{ name, description, service, endpoint,
 *   method, parameters_schema, … }] }`; `?format=openai|anthropic|gemini` answers that provider's
 *   tool definitions instead, ready to send; `?integration=` and `?q=` narrow the list;
 * - `GET /api/tools/{tool}` (viewer): one tool (with `?format=` too), and how a custom one sends
 *   its request;
 * - `POST /api/tools` (admin): registers a custom tool, `201` with the tool;
 * - `DELETE /api/tools/{tool}` (admin): removes a custom tool, `204`.
 */
export function registerToolRoutes(app: FastifyInstance, deps: ToolRouteDeps): void {
  const { host, customTools } = deps;
  const catalog = deps.catalog ?? new ToolCatalog();
  const providers = new ProviderToolCache();
  const findTool = (name: string): Tool | undefined =>
    catalog.tools(host.allDefinitions()).find((tool) => tool.name === name);
  const isUsable = (integration: string) => host.usable().some((entry) => entry.name === integration);
  const describeTool = async (tool: Tool) => {
    const custom = await customTools.get(tool.name);
    return {
      ...registryTool(tool),
      available: isUsable(tool.integration),
      ...(custom ? { custom: customView(custom) } : {}),
    };
  };

  app.get('/api/tools', { config: { scope: 'viewer' } }, async (request) => {
    const query = parse(ToolsQuery, request.query);
    let tools = catalog
      .tools(host.usable().map((entry) => entry.definition))
      .filter((tool) => mayView(request.principal, tool));
    if (query.integration !== undefined)
      tools = tools.filter((tool) => tool.integration === query.integration);
    if (query.q !== undefined) tools = searchTools(tools, query.q, tools.length);
    const { format } = query;
    if (format === undefined) return { tools: tools.map(registryTool) };
    return providerTools(
      format,
      tools.map((tool) => providers.get(format, tool)),
    );
  });

  app.get<{ Params: { tool: string } }>(
    '/api/tools/:tool',
    { config: { scope: 'viewer' } },
    async (request) => {
      const { format } = parse(ToolQuery, request.query);
      const tool = findTool(request.params.tool);
      if (!tool) throw notFound(`No tool named ${request.params.tool}`);
      if (!mayView(request.principal, tool)) throw forbidden(`This token may not use tool ${tool.name}`);
      return format === undefined ? describeTool(tool) : providers.get(format, tool);
    },
  );

  app.post('/api/tools', { config: { scope: 'admin' } }, async (request, reply) => {
    const created = await customTools.create(request.body, request.principal?.id ?? null);
    const tool = findTool(created.tool);
    reply.code(201);
    if (tool) return describeTool(tool);
    // The host has not taken the new definition (yet): answer from the declaration itself.
    const listed: RegistryTool = {
      name: created.tool,
      description: created.spec.description,
      service: 'integrations',
      endpoint: `/api/integrations/${created.spec.integration}/operations/${created.spec.name}`,
      method: 'POST',
      parameters_schema: created.spec.parameters_schema,
      integration: created.spec.integration,
      operation: created.spec.name,
      kind: created.spec.kind,
    };
    return { ...listed, available: false, custom: customView(created) };
  });

  app.delete<{ Params: { tool: string } }>(
    '/api/tools/:tool',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      const { tool } = request.params;
      if (await customTools.delete(tool)) {
        reply.code(204);
        return null;
      }
      if (findTool(tool)) throw conflict(`${tool} is built in: only custom tools can be deleted`);
      throw notFound(`No custom tool named ${tool}`);
    },
  );
}
