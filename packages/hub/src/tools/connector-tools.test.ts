import { connectors } from '@patchbay/connectors';
import { describe, expect, it } from 'vitest';
import type { AnthropicTool } from './anthropic-format.js';
import type { GeminiFunctionDeclaration } from './gemini-format.js';
import type { OpenAiFunctionTool } from './openai-format.js';
import { anthropicProblems, geminiProblems, openAiStrictProblems } from './provider-rules.harness.js';
import { ToolCatalog } from './tool-catalog.js';
import { providerTool } from './tool-formats.js';
import { registryTool } from './tool-listing.js';

// Every tool the shipped connectors offer, as each provider would receive it.
const tools = new ToolCatalog().tools(connectors).map(registryTool);

describe('the shipped connectors as provider tools', () => {
  it('has tools to check', () => {
    expect(tools.length).toBeGreaterThan(30);
  });

  it('OpenAI: every tool strict mode can hold breaks none of its rules; most of them can', () => {
    const strict = tools
      .map((tool) => providerTool('openai', tool) as OpenAiFunctionTool)
      .filter((t) => t.function.strict);
    for (const tool of strict)
      expect({ tool: tool.function.name, problems: openAiStrictProblems(tool) }).toEqual({
        tool: tool.function.name,
        problems: [],
      });
    expect(strict.length).toBeGreaterThan(tools.length / 2);
  });

  it('Anthropic and Gemini: every tool breaks none of their rules', () => {
    for (const tool of tools) {
      const anthropic = providerTool('anthropic', tool) as AnthropicTool;
      const gemini = providerTool('gemini', tool) as GeminiFunctionDeclaration;
      expect({
        tool: tool.name,
        problems: [...anthropicProblems(anthropic), ...geminiProblems(gemini)],
      }).toEqual({
        tool: tool.name,
        problems: [],
      });
    }
  });
});
