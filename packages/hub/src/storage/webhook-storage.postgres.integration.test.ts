import { requireService } from '@patchbay/testing';
import { describe } from 'vitest';
import { throwawaySchemas } from './throwaway-schemas.js';
import { webhookStorageContract } from './webhook-storage.contract.js';

// Skips loudly without PostgreSQL; fails under CI=true.
const postgres = await requireService('postgres');
const url = postgres.available ? postgres.url : '';
const schemas = throwawaySchemas(url);

describe.skipIf(!postgres.available)('PostgreSQL', () => {
  webhookStorageContract('PostgreSQL', {
    async fresh() {
      return { url, schema: schemas.next(), poolSize: 4 };
    },
    concurrentHandles: true,
    dispose: () => schemas.dropAll(),
  });
});
