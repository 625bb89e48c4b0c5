import { randomBytes } from 'node:crypto';
import { requireService } from '@patchbay/testing';
import pg from 'pg';
import { describe } from 'vitest';
import { hubSuite } from './hub.suite.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
const schema = `hub_${randomBytes(6).toString('hex')}`;

describe.skipIf(!postgres.available)('PostgreSQL', () => {
  hubSuite(
    'PostgreSQL',
    async () => ({ databaseUrl: url, storage: { schema, poolSize: 4 } }),
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  );
});
