import { createHash } from 'node:crypto';
import { type AnthropicTool, anthropicInputSchema } from './anthropic-format.js';
import { type GeminiFunctionDeclaration, geminiParameters } from './gemini-format.js';
import { type OpenAiFunctionTool, openAiParameters } from './openai-format.js';
import type { RegistryTool } from './tool-listing.js';

/** The AI providers whose tool definitions the registry writes. */
export const TOOL_FORMATS = ['openai', 'anthropic', 'gemini'] as const;
export type ToolFormat = (typeof TOOL_FORMATS)[number];

/** What `GET /api/tools?format=…` answers: each provider's own request field, ready to send. */
export type ProviderTools =
  | { format: 'openai'; tools: OpenAiFunctionTool[] }
  | { format: 'anthropic'; tools: AnthropicTool[] }
  | { format: 'gemini'; tools: [{ functionDeclarations: GeminiFunctionDeclaration[] }] };

/** One tool in one provider's shape. */
export type ProviderTool = OpenAiFunctionTool | AnthropicTool | GeminiFunctionDeclaration;

const NAME_LIMIT = 64;

/**
 * A function name every provider accepts (letters, digits, `_` and `-`, starting with a letter or
 * `_`, at most 64): ours already are; a longer one keeps its start and a hash of the whole.
 */
export function providerToolName(name: string): string {
  let safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(safe)) safe = `_${safe}`;
  if (safe.length <= NAME_LIMIT) return safe;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${safe.slice(0, NAME_LIMIT - 9)}_${hash}`;
}

/** One tool in the provider's shape. */
export function providerTool(format: ToolFormat, tool: RegistryTool): ProviderTool {
  const name = providerToolName(tool.name);
  switch (format) {
    case 'openai': {
      const { parameters, strict } = openAiParameters(tool.parameters_schema);
      return { type: 'function', function: { name, description: tool.description, parameters, strict } };
    }
    case 'anthropic':
      return {
        name,
        description: tool.description,
        input_schema: anthropicInputSchema(tool.parameters_schema),
      };
    case 'gemini': {
      const parameters = geminiParameters(tool.parameters_schema);
      return { name, description: tool.description, ...(parameters ? { parameters } : {}) };
    }
  }
}

/** Several tools as the provider's request field. */
export function providerTools(format: ToolFormat, tools: readonly ProviderTool[]): ProviderTools {
  switch (format) {
    case 'openai':
      return { format, tools: tools as OpenAiFunctionTool[] };
    case 'anthropic':
      return { format, tools: tools as AnthropicTool[] };
    case 'gemini':
      return { format, tools: [{ functionDeclarations: tools as GeminiFunctionDeclaration[] }] };
  }
}
