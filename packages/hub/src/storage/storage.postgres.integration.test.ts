import { randomBytes } from 'node:crypto';
import { requireService } from '@patchbay/testing';
import pg from 'pg';
import { describe } from 'vitest';
import { storageContract } from './storage.contract.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
// Every test gets its own schema (t_<random>), so parallel files and runs never share tables.
const schemas: string[] = [];

describe.skipIf(!postgres.available)('PostgreSQL', () => {
  storageContract('PostgreSQL', {
    async fresh() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return { url, schema, poolSize: 4 };
    },
    concurrentHandles: true,
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  });
});
