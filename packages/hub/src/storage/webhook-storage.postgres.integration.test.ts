import { randomBytes } from 'node:crypto';
import { requireService } from '@patchbay/testing';
import pg from 'pg';
import { describe } from 'vitest';
import { webhookStorageContract } from './webhook-storage.contract.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
const schemas: string[] = [];

describe.skipIf(!postgres.available)('PostgreSQL', () => {
  webhookStorageContract('PostgreSQL', {
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
