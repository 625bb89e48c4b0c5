import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { fromDbBool, fromJson, toDbBool, toJson } from './codec.js';
import type { ApiTokensTable, HubSchema } from './schema.js';

/** A hub API token as stored: only its hash, never the token itself. */
export interface TokenRecord {
  id: string;
  name: string;
  tokenHash: string;
  scopes: string[];
  /** Integrations the token may reach; `null` means all. */
  integrations: string[] | null;
  readOnly: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface NewToken {
  name: string;
  /** The hash of the token (computed by the auth module); the token itself is never stored. */
  tokenHash: string;
  scopes: string[];
  integrations?: string[] | null;
  /** @default false */
  readOnly?: boolean;
  /** @default a random UUID */
  id?: string;
}

/** Hub API tokens, looked up by hash. */
export class TokenRepository {
  constructor(
    private readonly db: Kysely<HubSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a new token. A duplicate `tokenHash` violates the unique constraint and throws. */
  async create(token: NewToken): Promise<TokenRecord> {
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id ?? randomUUID(),
        name: token.name,
        token_hash: token.tokenHash,
        scopes: toJson(token.scopes),
        integrations: token.integrations ? toJson(token.integrations) : null,
        read_only: toDbBool(token.readOnly ?? false),
        created_at: this.now(),
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** The token with this hash, revoked or not (check `revokedAt`). */
  async findByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** All tokens, oldest first; revoked ones too unless `activeOnly`. */
  async list(options: { activeOnly?: boolean } = {}): Promise<TokenRecord[]> {
    let query = this.db.selectFrom('api_tokens').selectAll();
    if (options.activeOnly) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** Revokes a token; `false` when it does not exist or was already revoked. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: this.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records a use. Callers may throttle this (once a minute per token is plenty). */
  async touch(id: string, at: number = this.now()): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}

function toRecord(row: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    tokenHash: row.token_hash,
    scopes: fromJson<string[]>(row.scopes),
    integrations: row.integrations === null ? null : fromJson<string[]>(row.integrations),
    readOnly: fromDbBool(row.read_only),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
