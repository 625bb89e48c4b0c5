import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type LogConfig, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { HubSchema, SqlDialect } from './schema.js';

/** Where the hub keeps its data. */
export interface OpenDatabaseOptions {
  /**
   * A PostgreSQL URL (`postgres://…`, from `DATABASE_URL`). When set, PostgreSQL is used and
   * `dataDir`/`file` are ignored; when absent, an embedded SQLite file.
   */
  url?: string;
  /**
   * Folder of the SQLite file, created if missing (`mkdir -p`).
   * @default './data'
   */
  dataDir?: string;
  /**
   * Name of the SQLite file inside `dataDir`.
   * @default 'patchbay.db'
   */
  file?: string;
  /**
   * PostgreSQL schema to work in (created if missing, put first on every connection's
   * `search_path`). Lets tests, or several hubs, share one database without sharing tables.
   * @default the server's search_path (normally `public`)
   */
  schema?: string;
  /**
   * Size of the PostgreSQL connection pool.
   * @default 10
   */
  poolSize?: number;
  /**
   * How long a SQLite write waits for another writer's lock before failing, in ms.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /** Kysely's query log hook (for debugging, or counting transactions in tests). */
  log?: LogConfig;
}

/** An open hub database: the typed kysely handle, which dialect it speaks, and `close()`. */
export interface HubDatabase {
  readonly db: Kysely<HubSchema>;
  readonly dialect: SqlDialect;
  /** Ends the pool or closes the file. The handle is unusable afterwards. */
  close(): Promise<void>;
}

const PG_INT8_OID = 20;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Opens the hub's database and brings its schema to the latest migration before returning.
 *
 * SQLite runs in WAL mode with `synchronous=NORMAL`: a committed transaction survives a process
 * crash; after a power loss the last few commits may be lost, but the file stays consistent.
 * Open the SQLite file once per process: better-sqlite3 is synchronous, so a second handle in the
 * same process that meets the first one's open transaction blocks the thread for `busyTimeoutMs`
 * and then fails. Several processes on one file are fine (they wait on each other's locks).
 *
 * @example
 * ```ts
 * const store = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.PATCHBAY_DATA_DIR });
 * try { ... } finally { await store.close(); }
 * ```
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<HubDatabase> {
  const hub =
    options.url !== undefined && options.url !== ''
      ? openPostgres(options.url, options)
      : openSqlite(options);
  try {
    if (hub.dialect === 'postgres' && options.schema !== undefined) {
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(hub.db);
    }
    await migrateToLatest(
      hub.db as Kysely<unknown>,
      hub.dialect,
      hub.dialect === 'postgres' ? options.schema : undefined,
    );
  } catch (error) {
    await hub.close();
    throw error;
  }
  return hub;
}

function openSqlite(options: OpenDatabaseOptions): HubDatabase {
  const dataDir = options.dataDir ?? './data';
  mkdirSync(dataDir, { recursive: true });
  const database = new BetterSqlite3(join(dataDir, options.file ?? 'patchbay.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  const db = new Kysely<HubSchema>({
    dialect: new SqliteDialect({ database }),
    ...(options.log ? { log: options.log } : {}),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string, options: OpenDatabaseOptions): HubDatabase {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`storage: invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    // Epoch-ms columns are BIGINT; parse them (and counts) as numbers, for this pool only.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === PG_INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<HubSchema>({
    dialect: new PostgresDialect({ pool }),
    ...(options.log ? { log: options.log } : {}),
  });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
