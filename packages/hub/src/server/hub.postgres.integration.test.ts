import { requireService } from '@patchbay/testing';
import { describe } from 'vitest';
import { throwawaySchemas } from '../storage/throwaway-schemas.js';
import { hubSuite } from './hub.suite.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
const schemas = throwawaySchemas(url, 'hub');
const schema = schemas.next();

describe.skipIf(!postgres.available)('PostgreSQL', () => {
  hubSuite(
    'PostgreSQL',
    async () => ({ databaseUrl: url, storage: { schema, poolSize: 4 } }),
    () => schemas.dropAll(),
  );
});
