// MCP: the hub's operations as tools for AI agents, over Streamable HTTP (`/mcp`) and stdio.

export { type McpHttpHandle, type McpHttpOptions, registerMcpRoutes } from './http-routes.js';
export { type CallContext, type McpDeps, McpTools } from './mcp-tools.js';
export { SEARCH_TOOLS } from './search-tools.js';
export { type McpStdioHandle, type McpStdioOptions, runMcpStdio, stdioPrincipal } from './stdio.js';
export { DRY_RUN_ARGUMENT, DRY_RUN_META } from './tool-arguments.js';
export { REQUEST_ID_META } from './tool-results.js';
