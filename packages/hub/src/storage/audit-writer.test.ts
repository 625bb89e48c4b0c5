// When the audit writer's promises settle, over a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditWriter } from './audit-writer.js';
import { type HubDatabase, openDatabase } from './database.js';
import { createRepositories, type Repositories } from './repositories.js';

const row = (i: number) => ({
  integration: 'github',
  operation: 'search',
  outcome: 'success',
  durationMs: i,
  requestId: `r${i}`,
});

describe('AuditWriter on SQLite', () => {
  let dir: string;
  let database: HubDatabase;
  let repos: Repositories;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchbay-audit-writer-'));
    database = await openDatabase({ dataDir: dir });
    repos = createRepositories(database);
  });

  afterEach(async () => {
    await database.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles each record() only once its own row is committed, also when its burst spans batches', async () => {
    const writer = new AuditWriter(repos.audit, { flushIntervalMs: 60_000, maxBatch: 5 });
    const committedWhenSettled: number[] = [];
    // One synchronous burst of 12: the 5th starts a write of rows 1-5; rows 6-12 wait for the
    // next batches (6-10, then 11-12), so their promises must wait for the last of them.
    const acks = Array.from({ length: 12 }, (_, i) =>
      writer.record(row(i)).then(() => {
        committedWhenSettled[i] = writer.stats.written;
      }),
    );
    await writer.flush();
    await Promise.all(acks);
    committedWhenSettled.forEach((written, i) => {
      expect(written, `row ${i}`).toBeGreaterThanOrEqual(i + 1);
    });
    expect(writer.stats).toMatchObject({ written: 12, flushes: 3, queued: 0 });
    const stored = await repos.audit.query({ order: 'asc', limit: 100 });
    expect(stored.rows.map((r) => r.requestId)).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`));
    expect(await repos.audit.verifyChain()).toMatchObject({ ok: true, rows: 12 });
    await writer.close();
  });

  it('keeps one chain, in recording order, for rows recorded while batches are being written', async () => {
    const writer = new AuditWriter(repos.audit, { flushIntervalMs: 1, maxBatch: 7 });
    const acks: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      acks.push(writer.record(row(i)));
      if (i % 13 === 0) await new Promise((resolve) => setImmediate(resolve)); // let writes start mid-burst
    }
    await Promise.all(acks);
    await writer.close();
    const stored = await repos.audit.query({ order: 'asc', limit: 1000 });
    expect(stored.rows.map((r) => r.requestId)).toEqual(Array.from({ length: 300 }, (_, i) => `r${i}`));
    expect(stored.rows.map((r) => r.durationMs)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(await repos.audit.verifyChain()).toMatchObject({ ok: true, rows: 300 });
  });

  it('rejects every unsettled record() when the final write at close fails', async () => {
    const failures: unknown[] = [];
    const writer = new AuditWriter(repos.audit, {
      flushIntervalMs: 60_000,
      onError: (error) => failures.push(error),
    });
    const first = writer.record(row(1));
    const second = writer.record(row(2));
    await database.close(); // storage gone before the rows were written
    await expect(writer.close()).rejects.toThrow();
    await expect(first).rejects.toThrow();
    await expect(second).rejects.toThrow();
    expect(failures).toHaveLength(1);
    expect(writer.stats).toMatchObject({ written: 0, failures: 1, queued: 0 });
    await expect(writer.record(row(3))).rejects.toThrow(/closed/);
  });
});
