import type { Tool } from './tool-catalog.js';
import { type ProviderTool, providerTool, type ToolFormat } from './tool-formats.js';
import { registryTool } from './tool-listing.js';

/**
 * Provider definitions, made once per tool and format: the catalog keeps a tool object as long as
 * its integration's definition does, so a rebuilt definition gets fresh ones.
 */
export class ProviderToolCache {
  private readonly byFormat = new Map<ToolFormat, WeakMap<Tool, ProviderTool>>();

  get(format: ToolFormat, tool: Tool): ProviderTool {
    let cache = this.byFormat.get(format);
    if (!cache) {
      cache = new WeakMap();
      this.byFormat.set(format, cache);
    }
    let made = cache.get(tool);
    if (!made) {
      made = providerTool(format, registryTool(tool));
      cache.set(tool, made);
    }
    return made;
  }
}
