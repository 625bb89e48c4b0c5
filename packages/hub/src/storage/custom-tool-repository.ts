import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from './codec.js';
import type { CustomToolsTable, HubSchema } from './schema.js';

/** A custom tool as stored: its declaration is opaque JSON here (the tools module reads it). */
export interface CustomToolRecord {
  /** The tool name (`<integration>_<operation>`), unique across the hub. */
  name: string;
  integration: string;
  operation: string;
  spec: Record<string, unknown>;
  createdAt: number;
  /** Token id of the admin who registered it; null for a local command. */
  createdBy: string | null;
}

export type NewCustomTool = Omit<CustomToolRecord, 'createdAt'>;

/** Custom tools registered through the API (see `tools/`). */
export class CustomToolRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a new tool; `undefined` when the name is taken (by another process too). */
  async create(tool: NewCustomTool): Promise<CustomToolRecord | undefined> {
    const row = await this.db
      .insertInto('custom_tools')
      .values({
        name: tool.name,
        integration: tool.integration,
        operation: tool.operation,
        spec: toJson(tool.spec),
        created_at: this.now(),
        created_by: tool.createdBy,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async get(name: string): Promise<CustomToolRecord | undefined> {
    const row = await this.db
      .selectFrom('custom_tools')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Every tool, or one integration's, by name. */
  async list(integration?: string): Promise<CustomToolRecord[]> {
    let query = this.db.selectFrom('custom_tools').selectAll();
    if (integration !== undefined) query = query.where('integration', '=', integration);
    const rows = await query.orderBy('name').execute();
    return rows.map(toRecord);
  }

  /** Removes a tool; `false` when there was none by that name. */
  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('custom_tools').where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toRecord(row: Selectable<CustomToolsTable>): CustomToolRecord {
  return {
    name: row.name,
    integration: row.integration,
    operation: row.operation,
    spec: fromJson<Record<string, unknown>>(row.spec),
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
