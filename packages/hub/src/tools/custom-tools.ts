import type { IntegrationDefinition, Logger } from '@patchbay/core';
import { invalid } from '../server/hub-errors.js';
import type { IntegrationHost } from '../server/integration-host.js';
import type { CustomToolRecord, CustomToolRepository } from '../storage/index.js';
import { baseDefinition, customOperation, withCustomTools } from './custom-operation.js';
import { type CustomToolSpec, parseCustomTool } from './custom-tool-spec.js';
import { ToolCatalog, toolName } from './tool-catalog.js';

/** A registered custom tool. */
export interface CustomTool {
  /** The tool name, `<integration>_<operation>`. */
  tool: string;
  spec: CustomToolSpec;
  createdAt: number;
  /** Token id of the admin who registered it. */
  createdBy: string | null;
}

export interface CustomToolsOptions {
  repository: CustomToolRepository;
  host: IntegrationHost;
  /** Which integrations take custom tools: pass `isRestIntegration` from `@patchbay/connectors`. */
  customizable: (definition: IntegrationDefinition) => boolean;
  /**
   * Puts an integration's new definition (same name, custom tools added or removed) in place of
   * the old one and rebuilds it, so REST, MCP and the bus see the change.
   */
  redefine: (definition: IntegrationDefinition) => Promise<unknown>;
  catalog?: ToolCatalog;
  log?: Logger;
}

/**
 * The custom tools of the hub: validated, stored, and applied to their integration's definition
 * (as operations, see {@link withCustomTools}) through `redefine`. `load()` applies what is
 * stored: call it at startup, and again to pick up tools another hub process registered (only
 * integrations whose tools changed are rebuilt).
 */
export class CustomTools {
  /** What was last applied to each integration, to rebuild only on a change. */
  private readonly applied = new Map<string, string>();
  private readonly catalog: ToolCatalog;
  private readonly warned = new Set<string>();

  constructor(private readonly options: CustomToolsOptions) {
    this.catalog = options.catalog ?? new ToolCatalog();
  }

  /** The integrations custom tools may be added to. */
  customizableIntegrations(): string[] {
    const { host, customizable } = this.options;
    return host
      .allDefinitions()
      .filter((definition) => customizable(baseDefinition(definition)))
      .map((definition) => definition.name);
  }

  /** Applies the stored tools to their integrations; those whose tools did not change are left alone. */
  async load(): Promise<void> {
    const byIntegration = new Map<string, CustomToolRecord[]>();
    for (const record of await this.options.repository.list()) {
      byIntegration.set(record.integration, [...(byIntegration.get(record.integration) ?? []), record]);
    }
    const customizable = new Set(this.customizableIntegrations());
    for (const [integration, records] of byIntegration) {
      if (customizable.has(integration) || this.warned.has(integration)) continue;
      this.warned.add(integration);
      this.options.log?.warn(
        { integration, tools: records.map((r) => r.name) },
        'custom tools stored for an integration this hub does not serve as a REST integration; left out',
      );
    }
    for (const integration of customizable) {
      const records = byIntegration.get(integration) ?? [];
      if (records.length === 0 && !this.applied.has(integration)) continue;
      await this.apply(integration, records);
    }
  }

  async list(integration?: string): Promise<CustomTool[]> {
    return (await this.options.repository.list(integration)).map(toCustomTool);
  }

  async get(tool: string): Promise<CustomTool | undefined> {
    const record = await this.options.repository.get(tool);
    return record && toCustomTool(record);
  }

  /**
   * Validates, stores and applies a new tool; a 400 HubError names every field at fault (an
   * unknown or non-REST integration, a taken name, a path parameter the schema does not declare
   * or require, an unsupported schema keyword, a parameter sent nowhere, …).
   */
  async create(request: unknown, createdBy: string | null = null): Promise<CustomTool> {
    const { host, repository } = this.options;
    const stored = await repository.list();
    const toolNames = new Set([
      ...this.catalog.tools(host.allDefinitions()).map((t) => t.name),
      ...stored.map((r) => r.name),
    ]);
    const parsed = parseCustomTool(request, {
      integrations: host.names(),
      customizable: this.customizableIntegrations(),
      operationsOf: (name) =>
        Object.keys(host.allDefinitions().find((d) => d.name === name)?.operations ?? {}),
      toolNames,
    });
    if (!parsed.spec) throw invalid('Invalid custom tool', parsed.issues);
    const { spec } = parsed;
    const name = toolName(spec.integration, spec.name);
    const record = await repository.create({
      name,
      integration: spec.integration,
      operation: spec.name,
      spec: spec as unknown as Record<string, unknown>,
      createdBy,
    });
    if (!record)
      throw invalid('Invalid custom tool', [{ path: 'name', message: `a tool named ${name} exists` }]);
    try {
      await this.apply(spec.integration, await repository.list(spec.integration));
    } catch (error) {
      await repository.delete(name);
      throw error;
    }
    this.options.log?.info({ tool: name, method: spec.method, path: spec.path }, 'custom tool registered');
    return toCustomTool(record);
  }

  /** Removes a custom tool and rebuilds its integration; `false` when there is no such custom tool. */
  async delete(tool: string): Promise<boolean> {
    const { repository } = this.options;
    const record = await repository.get(tool);
    if (!record || !(await repository.delete(tool))) return false;
    await this.apply(record.integration, await repository.list(record.integration));
    this.options.log?.info({ tool }, 'custom tool removed');
    return true;
  }

  private async apply(integration: string, records: readonly CustomToolRecord[]): Promise<void> {
    const current = this.options.host.allDefinitions().find((d) => d.name === integration);
    if (!current) return;
    const specs = records.map((r) => r.spec as unknown as CustomToolSpec).filter((spec) => this.usable(spec));
    const signature = JSON.stringify(specs);
    if (this.applied.get(integration) === signature) return;
    await this.options.redefine(withCustomTools(current, specs));
    this.applied.set(integration, signature);
  }

  /** A stored tool that no longer compiles (edited by hand, or from a newer hub) is left out, loudly. */
  private usable(spec: CustomToolSpec): boolean {
    try {
      customOperation(spec);
      return true;
    } catch (error) {
      this.options.log?.error({ tool: spec.name, err: error }, 'stored custom tool cannot be used; left out');
      return false;
    }
  }
}

function toCustomTool(record: CustomToolRecord): CustomTool {
  return {
    tool: record.name,
    spec: record.spec as unknown as CustomToolSpec,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
  };
}
