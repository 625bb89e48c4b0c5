// The custom tool table on both storage backends (PostgreSQL skips loudly when absent, fails under CI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '@patchbay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { CustomToolRepository, type OpenDatabaseOptions, openDatabase } from '../storage/index.js';
import { throwawaySchemas } from '../storage/throwaway-schemas.js';

const postgres = await requireService('postgres');
const dir = mkdtempSync(join(tmpdir(), 'patchbay-tools-store-'));
const schemas = throwawaySchemas(postgres.available ? postgres.url : '', 'tools');
const schema = schemas.next();

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (postgres.available) await schemas.dropAll();
});

const backends: [string, boolean, () => OpenDatabaseOptions][] = [
  ['SQLite', true, () => ({ dataDir: dir })],
  [
    'PostgreSQL',
    postgres.available,
    () => ({ url: postgres.available ? postgres.url : '', schema, poolSize: 2 }),
  ],
];

describe.each(backends)('custom tool storage on %s', (_label, available, options) => {
  it.skipIf(!available)('stores, lists by integration, refuses a taken name, deletes', async () => {
    const database = await openDatabase(options());
    try {
      const repository = new CustomToolRepository(database.db, () => 1_700_000_000_000);
      const spec = { method: 'GET', path: '/items/{id}', parameters_schema: { type: 'object' } };
      const created = await repository.create({
        name: 'rest_get_item',
        integration: 'rest',
        operation: 'get_item',
        spec,
        createdBy: 'tok-1',
      });
      expect(created).toEqual({
        name: 'rest_get_item',
        integration: 'rest',
        operation: 'get_item',
        spec,
        createdAt: 1_700_000_000_000,
        createdBy: 'tok-1',
      });
      expect(
        await repository.create({
          name: 'rest_get_item',
          integration: 'rest',
          operation: 'get_item',
          spec: {},
          createdBy: null,
        }),
      ).toBeUndefined();
      await repository.create({
        name: 'crm_find',
        integration: 'crm',
        operation: 'find',
        spec: {},
        createdBy: null,
      });
      expect((await repository.list()).map((r) => r.name)).toEqual(['crm_find', 'rest_get_item']);
      expect((await repository.list('rest')).map((r) => r.name)).toEqual(['rest_get_item']);
      expect((await repository.get('rest_get_item'))?.spec).toEqual(spec);
      expect(await repository.delete('rest_get_item')).toBe(true);
      expect(await repository.delete('rest_get_item')).toBe(false);
      expect(await repository.get('rest_get_item')).toBeUndefined();
    } finally {
      await database.close();
    }
  });
});
