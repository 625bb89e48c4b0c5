import { requireService } from '@patchbay/testing';
import { describe } from 'vitest';
import { storageContract } from './storage.contract.js';
import { throwawaySchemas } from './throwaway-schemas.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
// Every test gets its own schema (t_<random>), so parallel files and runs never share tables.
const schemas = throwawaySchemas(url);

describe.skipIf(!postgres.available)('PostgreSQL', () => {
  storageContract('PostgreSQL', {
    async fresh() {
      return { url, schema: schemas.next(), poolSize: 4 };
    },
    concurrentHandles: true,
    dispose: () => schemas.dropAll(),
  });
});
