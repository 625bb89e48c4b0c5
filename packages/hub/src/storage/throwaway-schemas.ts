import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL schemas for tests: each `next()` names a fresh one (`<prefix>_<random>`), so parallel
 * files and runs never share tables; `dropAll()` removes every one it named.
 * @example
 * const schemas = throwawaySchemas(url, 'hub');
 * const schema = schemas.next();          // hand it to openDatabase / createHub
 * afterAll(() => schemas.dropAll());
 */
export function throwawaySchemas(url: string, prefix = 't'): { next(): string; dropAll(): Promise<void> } {
  const named: string[] = [];
  return {
    next() {
      const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
      named.push(schema);
      return schema;
    },
    async dropAll() {
      if (named.length === 0) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of named.splice(0)) await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
