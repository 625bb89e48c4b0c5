import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditWriter } from './audit-writer.js';
import { type HubDatabase, type OpenDatabaseOptions, openDatabase } from './database.js';
import { isVersionConflict } from './errors.js';
import { hubMigrations } from './migrations.js';
import { createRepositories } from './repositories.js';

/** Where a test's database lives; each call gives a fresh, empty place. */
export interface StorageHarness {
  fresh(): Promise<OpenDatabaseOptions>;
  /** Removes every place `fresh()` gave. */
  dispose(): Promise<void>;
  /** Whether two handles in ONE process may write at once (PostgreSQL yes; better-sqlite3 no). */
  concurrentHandles: boolean;
}

/** A clock the test moves by hand (1 ms per read unless told otherwise), so ordering is exact. */
function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t++, set: (value: number) => (t = value) };
}

/** The storage contract: every dialect must pass all of it. */
export function storageContract(name: string, harness: StorageHarness): void {
  describe(`storage on ${name}`, () => {
    const opened: HubDatabase[] = [];
    const open = async (where: OpenDatabaseOptions) => {
      const hub = await openDatabase(where);
      opened.push(hub);
      return hub;
    };
    const setup = async () => {
      const where = await harness.fresh();
      const hub = await open(where);
      const clock = fakeClock();
      return { where, hub, clock, repos: createRepositories(hub, clock.now) };
    };

    afterAll(async () => {
      await Promise.allSettled(opened.map((h) => h.close()));
      await harness.dispose();
    });

    it('migrates at open, and opening again changes nothing', async () => {
      const { where, hub, repos } = await setup();
      await repos.configs.upsert('github', { values: { baseUrl: 'x' } });
      const again = await open(where);
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(Object.keys(hubMigrations('sqlite')).sort());
      expect(migrations.rows[0]?.name).toBe('0001_initial');
      expect((await createRepositories(again).configs.get('github'))?.values).toEqual({ baseUrl: 'x' });
      expect(hub.dialect).toBe(name === 'PostgreSQL' ? 'postgres' : 'sqlite');
    });

    it('stores configs with optimistic versions', async () => {
      const { repos } = await setup();
      const { configs } = repos;
      expect(await configs.get('jira')).toBeUndefined();
      const created = await configs.upsert(
        'jira',
        { values: { baseUrl: 'https://a' } },
        { expectedVersion: 0 },
      );
      expect(created).toMatchObject({
        name: 'jira',
        enabled: null,
        values: { baseUrl: 'https://a' },
        version: 1,
      });

      const updated = await configs.upsert(
        'jira',
        { values: { baseUrl: 'https://b' }, enabled: true },
        { expectedVersion: 1 },
      );
      expect(updated).toMatchObject({ enabled: true, version: 2, values: { baseUrl: 'https://b' } });

      // A writer that read version 1 loses, and learns the current version.
      const stale = await configs
        .upsert('jira', { values: {} }, { expectedVersion: 1 })
        .catch((e: unknown) => e);
      expect(isVersionConflict(stale)).toBe(true);
      expect(stale).toMatchObject({ expected: 1, actual: 2 });
      const exists = await configs
        .upsert('jira', { values: {} }, { expectedVersion: 0 })
        .catch((e: unknown) => e);
      expect(exists).toMatchObject({ type: 'VersionConflict', actual: 2 });
      const missing = await configs
        .upsert('nope', { values: {} }, { expectedVersion: 3 })
        .catch((e: unknown) => e);
      expect(missing).toMatchObject({ type: 'VersionConflict', actual: undefined });

      // Last writer wins without a version; enabled is kept when left out.
      const blind = await configs.upsert('jira', { values: { baseUrl: 'https://c' } });
      expect(blind).toMatchObject({ version: 3, enabled: true, values: { baseUrl: 'https://c' } });

      expect(await configs.setEnabled('jira', false)).toMatchObject({ enabled: false, version: 4 });
      expect(await configs.setEnabled('slack', true)).toMatchObject({
        enabled: true,
        values: {},
        version: 1,
      });
      expect(await configs.setEnabled('slack', null)).toMatchObject({ enabled: null, version: 2 });
      expect((await configs.list()).map((c) => c.name)).toEqual(['jira', 'slack']);
      expect(await configs.delete('slack')).toBe(true);
      expect(await configs.delete('slack')).toBe(false);
    });

    it('lets exactly one of many concurrent versioned writers win', async () => {
      const { repos } = await setup();
      await repos.configs.upsert('race', { values: { n: 0 } });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, n) =>
          repos.configs.upsert('race', { values: { n } }, { expectedVersion: 1 }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await repos.configs.get('race'))?.version).toBe(2);
    });

    it('stores secrets as opaque envelopes and rewraps them for rotation', async () => {
      const { repos } = await setup();
      const { secrets } = repos;
      await secrets.put('github', 'token', { ciphertext: 'v1.env-a', keyId: 'k1' });
      await secrets.put('jira', 'apiToken', { ciphertext: 'v1.env-b', keyId: 'k1' });
      await secrets.put('jira', 'username', { ciphertext: 'v1.env-c', keyId: 'k2' });
      expect(await secrets.get('github', 'token')).toMatchObject({ ciphertext: 'v1.env-a', keyId: 'k1' });
      await secrets.put('github', 'token', { ciphertext: 'v1.env-a2', keyId: 'k2' });
      expect(await secrets.get('github', 'token')).toMatchObject({ ciphertext: 'v1.env-a2', keyId: 'k2' });
      expect((await secrets.list('jira')).map((s) => s.field)).toEqual(['apiToken', 'username']);

      const stale = await secrets.allForRotation('k2');
      expect(stale.map((s) => `${s.integration}.${s.field}`)).toEqual(['jira.apiToken']);
      expect(await secrets.allForRotation()).toHaveLength(3);
      const replaced = await secrets.rewrap([
        { integration: 'jira', field: 'apiToken', fromKeyId: 'k1', ciphertext: 'v1.env-b2', keyId: 'k2' },
        // Written meanwhile under another key: left alone.
        { integration: 'jira', field: 'username', fromKeyId: 'k1', ciphertext: 'lost', keyId: 'k2' },
      ]);
      expect(replaced).toBe(1);
      expect(await secrets.allForRotation('k2')).toEqual([]);
      expect((await secrets.get('jira', 'username'))?.ciphertext).toBe('v1.env-c');

      expect(await secrets.delete('jira', 'username')).toBe(1);
      expect(await secrets.delete('jira')).toBe(1);
      expect(await secrets.get('jira', 'apiToken')).toBeUndefined();
    });

    it('finds tokens by hash, revokes and touches them', async () => {
      const { repos } = await setup();
      const { tokens } = repos;
      const admin = await tokens.create({ name: 'admin', tokenHash: 'h-admin', scopes: ['admin'] });
      const bot = await tokens.create({
        name: 'bot',
        tokenHash: 'h-bot',
        scopes: ['operator'],
        integrations: ['github'],
        readOnly: true,
      });
      expect(admin).toMatchObject({
        scopes: ['admin'],
        integrations: null,
        readOnly: false,
        revokedAt: null,
      });
      expect(await tokens.findByHash('h-bot')).toEqual(bot);
      expect(bot).toMatchObject({ integrations: ['github'], readOnly: true });
      expect(await tokens.findByHash('h-none')).toBeUndefined();
      await expect(tokens.create({ name: 'dup', tokenHash: 'h-bot', scopes: [] })).rejects.toThrow();

      await tokens.touch(bot.id, 42);
      expect((await tokens.get(bot.id))?.lastUsedAt).toBe(42);
      expect(await tokens.revoke(bot.id)).toBe(true);
      expect(await tokens.revoke(bot.id)).toBe(false);
      expect((await tokens.findByHash('h-bot'))?.revokedAt).toEqual(expect.any(Number));
      expect((await tokens.list()).map((t) => t.name)).toEqual(['admin', 'bot']);
      expect((await tokens.list({ activeOnly: true })).map((t) => t.name)).toEqual(['admin']);
    });

    it('appends audit rows and queries them with filters and keyset paging', async () => {
      const { repos } = await setup();
      const { audit } = repos;
      const integrations = ['github', 'jira', 'slack'];
      const written = await audit.append(
        Array.from({ length: 30 }, (_, i) => ({
          at: 1000 + i,
          requestId: `req-${i}`,
          tokenId: i % 2 === 0 ? 'tok-a' : 'tok-b',
          integration: integrations[i % 3] ?? 'github',
          operation: i % 5 === 0 ? 'create_issue' : 'search',
          outcome: i % 4 === 0 ? 'error' : 'ok',
          errorType: i % 4 === 0 ? 'IntegrationTemporaryError' : null,
          durationMs: i + 0.4,
          inputRedacted: { query: `q${i}`, token: '***' },
        })),
      );
      expect(written).toHaveLength(30);
      expect(written.map((r) => r.seq)).toEqual([...written.map((r) => r.seq)].sort((a, b) => a - b));

      const latest = await audit.query({ limit: 1 });
      expect(latest.rows[0]).toMatchObject({
        at: 1029,
        requestId: 'req-29',
        durationMs: 29,
        inputRedacted: { query: 'q29', token: '***' },
        hash: written[29]?.hash,
      });

      const github = await audit.query({ integration: 'github', limit: 100 });
      expect(github.rows.map((r) => r.requestId)).toEqual(
        Array.from({ length: 10 }, (_, k) => `req-${27 - 3 * k}`),
      );
      expect(github.nextCursor).toBeUndefined();
      expect((await audit.query({ outcome: 'error', limit: 100 })).rows).toHaveLength(8);
      expect((await audit.query({ operation: 'create_issue', limit: 100 })).rows).toHaveLength(6);
      expect((await audit.query({ tokenId: 'tok-b', limit: 100 })).rows).toHaveLength(15);
      expect((await audit.query({ requestId: 'req-7' })).rows.map((r) => r.at)).toEqual([1007]);
      const window = await audit.query({ from: 1010, to: 1020, order: 'asc', limit: 100 });
      expect(window.rows.map((r) => r.at)).toEqual(Array.from({ length: 10 }, (_, k) => 1010 + k));
      const combined = await audit.query({
        integration: 'jira',
        outcome: 'ok',
        tokenId: 'tok-a',
        limit: 100,
      });
      expect(combined.rows.map((r) => r.at)).toEqual([1022, 1010]);

      // Keyset paging visits every row once, in both directions.
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await audit.query({ limit: 7, order, ...(cursor ? { cursor } : {}) });
          seen.push(...page.rows.map((r) => r.requestId ?? ''));
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        expect(pages).toBe(5);
        const expected = Array.from({ length: 30 }, (_, i) => `req-${i}`);
        expect(seen).toEqual(order === 'asc' ? expected : expected.reverse());
      }
      await expect(audit.query({ cursor: 'nope' })).rejects.toThrow(RangeError);
    });

    it('verifies the hash chain, and fails after a row is edited or removed', async () => {
      const { hub, repos } = await setup();
      const { audit } = repos;
      expect(await audit.verifyChain()).toEqual({ ok: true, rows: 0, head: undefined });
      const rows = await audit.append(
        Array.from({ length: 10 }, (_, i) => ({
          integration: 'github',
          operation: 'op',
          outcome: 'ok',
          durationMs: i,
        })),
      );
      await audit.append([{ integration: 'slack', operation: 'send', outcome: 'ok', durationMs: 1 }]);
      const good = await audit.verifyChain({ batchSize: 3 });
      expect(good).toMatchObject({ ok: true, rows: 11 });

      const third = rows[2]!;
      await hub.db.updateTable('audit_log').set({ outcome: 'error' }).where('seq', '=', third.seq).execute();
      expect(await audit.verifyChain({ batchSize: 4 })).toMatchObject({
        ok: false,
        reason: 'hash-mismatch',
        seq: third.seq,
        rows: 2,
      });
      await hub.db.updateTable('audit_log').set({ outcome: 'ok' }).where('seq', '=', third.seq).execute();
      expect((await audit.verifyChain()).ok).toBe(true);

      const middle = rows[5]!;
      await hub.db.deleteFrom('audit_log').where('seq', '=', middle.seq).execute();
      expect(await audit.verifyChain()).toMatchObject({
        ok: false,
        reason: 'broken-link',
        seq: rows[6]!.seq,
      });
    });

    it('notices rows cut off the end of the chain', async () => {
      const { hub, repos } = await setup();
      const rows = await repos.audit.append(
        Array.from({ length: 5 }, () => ({ integration: 'x', operation: 'y', outcome: 'ok', durationMs: 1 })),
      );
      await hub.db.deleteFrom('audit_log').where('seq', '=', rows[4]!.seq).execute();
      expect(await repos.audit.verifyChain()).toMatchObject({ ok: false, reason: 'head-mismatch' });
    });

    it('group-commits many recorded rows in few transactions', async () => {
      const where = await harness.fresh();
      let begins = 0;
      const hub = await open({
        ...where,
        log: (event) => {
          if (event.level === 'query' && /^begin\b/i.test(event.query.sql)) begins++;
        },
      });
      const repos = createRepositories(hub);
      const batches: number[] = [];
      const writer = new AuditWriter(repos.audit, {
        flushIntervalMs: 10_000, // only full batches and the final flush write
        maxBatch: 250,
        onFlush: ({ rows }) => batches.push(rows),
      });
      begins = 0;
      const acks = Array.from({ length: 1000 }, (_, i) =>
        writer.record({
          integration: 'github',
          operation: 'search',
          outcome: 'ok',
          durationMs: i,
          requestId: `r${i}`,
        }),
      );
      // record() returned at once: nothing is committed yet.
      expect(writer.stats.queued).toBeGreaterThan(0);
      await Promise.all(acks);
      await writer.close();
      expect(batches.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(batches.length).toBeLessThanOrEqual(5);
      expect(begins).toBe(batches.length);
      expect(writer.stats).toMatchObject({ written: 1000, flushes: batches.length, queued: 0 });
      const all = await repos.audit.query({ order: 'asc', limit: 1000 });
      expect(all.rows.map((r) => r.requestId)).toEqual(Array.from({ length: 1000 }, (_, i) => `r${i}`));
      expect(await repos.audit.verifyChain()).toMatchObject({ ok: true, rows: 1000 });
    });

    it('writes on the interval when batches stay small, and flush() drains', async () => {
      const { repos } = await setup();
      const writer = new AuditWriter(repos.audit, { flushIntervalMs: 5, maxBatch: 1000 });
      const ack = writer.record({ integration: 'a', operation: 'b', outcome: 'ok', durationMs: 1 });
      await ack; // written by the timer alone
      expect(writer.stats).toMatchObject({ written: 1, flushes: 1 });
      void writer.record({ integration: 'a', operation: 'b', outcome: 'ok', durationMs: 2 });
      await writer.flush();
      expect(writer.stats.written).toBe(2);
      await writer.close();
      await expect(
        writer.record({ integration: 'a', operation: 'b', outcome: 'ok', durationMs: 3 }),
      ).rejects.toThrow(/closed/);
      expect(await repos.audit.verifyChain()).toMatchObject({ ok: true, rows: 2 });
    });

    it.runIf(harness.concurrentHandles)(
      'keeps one chain when two pools append at once, as two hubs would',
      async () => {
        const where = await harness.fresh();
        const [a, b] = [await open(where), await open(where)];
        const writers = [a, b].map(
          (h) => new AuditWriter(createRepositories(h).audit, { maxBatch: 20, flushIntervalMs: 1 }),
        );
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            writers[i % 2]!.record({
              integration: 'x',
              operation: `p${i % 2}`,
              outcome: 'ok',
              durationMs: i,
            }),
          ),
        );
        await Promise.all(writers.map((w) => w.close()));
        expect(await createRepositories(a).audit.verifyChain()).toMatchObject({ ok: true, rows: 200 });
      },
    );

    it('keeps data across a restart, and the chain continues', async () => {
      const where = await harness.fresh();
      const first = await openDatabase(where);
      const before = createRepositories(first);
      await before.configs.upsert('github', { values: { baseUrl: 'https://gh' }, enabled: true });
      await before.deadLetters.add({
        integration: 'jira',
        operation: 'create_issue',
        inputCiphertext: 'c',
        error: {},
        attempts: 3,
      });
      const writer = new AuditWriter(before.audit);
      for (let i = 0; i < 5; i++)
        void writer.record({ integration: 'github', operation: 'op', outcome: 'ok', durationMs: i });
      await writer.close();
      const lastBefore = await before.audit.head();
      await first.close();

      const second = await open(where);
      const after = createRepositories(second);
      expect(await after.configs.get('github')).toMatchObject({
        enabled: true,
        values: { baseUrl: 'https://gh' },
        version: 1,
      });
      expect(await after.deadLetters.count('pending')).toBe(1);
      const resumed = new AuditWriter(after.audit);
      await resumed.record({ integration: 'github', operation: 'op', outcome: 'ok', durationMs: 9 });
      await resumed.close();
      const [newest] = (await after.audit.query({ limit: 1 })).rows;
      expect(newest?.prevHash).toBe(lastBefore?.hash);
      expect(await after.audit.verifyChain()).toMatchObject({ ok: true, rows: 6 });
    });

    it('runs the dead-letter lifecycle: add, list, page, replay, fail, delete', async () => {
      const { repos, clock } = await setup();
      const { deadLetters } = repos;
      clock.set(5000);
      const entries = [];
      for (let i = 0; i < 5; i++) {
        entries.push(
          await deadLetters.add({
            integration: i < 3 ? 'jira' : 'github',
            operation: 'create_issue',
            inputCiphertext: `env-${i}`,
            idempotencyKey: `idem-${i}`,
            error: { type: 'IntegrationTemporaryError', message: 'upstream 503' },
            attempts: 3,
            requestId: `req-${i}`,
            ...(i === 4 ? { at: 5001 } : {}), // same timestamp as entry 1: ties break on id
          }),
        );
      }
      const first = entries[0]!;
      expect(first).toMatchObject({
        status: 'pending',
        attempts: 3,
        replayedAt: null,
        idempotencyKey: 'idem-0',
      });
      expect(await deadLetters.get(first.id)).toEqual(first);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await deadLetters.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(5);
      expect(seen[seen.length - 1]).toBe(first.id); // newest first
      expect((await deadLetters.list({ integration: 'github' })).rows).toHaveLength(2);

      expect(await deadLetters.markReplayed(first.id, 9999)).toBe(true);
      expect(await deadLetters.get(first.id)).toMatchObject({
        status: 'replayed',
        replayedAt: 9999,
        attempts: 4,
      });
      const second = entries[1]!;
      expect(await deadLetters.markFailed(second.id, { type: 'IntegrationPermanentError' })).toBe(true);
      expect(await deadLetters.get(second.id)).toMatchObject({
        status: 'failed',
        attempts: 4,
        error: { type: 'IntegrationPermanentError' },
        idempotencyKey: 'idem-1',
      });
      expect((await deadLetters.list({ status: 'pending' })).rows).toHaveLength(3);
      expect(await deadLetters.count()).toBe(5);
      expect(await deadLetters.delete(second.id)).toBe(true);
      expect(await deadLetters.delete(second.id)).toBe(false);
      expect(await deadLetters.get(second.id)).toBeUndefined();
      expect(await deadLetters.markReplayed('missing')).toBe(false);
    });

    it('pages every dead-letter input and rewraps them only where they were not replaced meanwhile', async () => {
      const { repos } = await setup();
      const { deadLetters } = repos;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const entry = await deadLetters.add({
          integration: 'jira',
          operation: 'create_issue',
          inputCiphertext: `old-${i}`,
          error: { type: 'IntegrationTemporaryError' },
          attempts: 1,
        });
        ids.push(entry.id);
      }
      const pages: number[] = [];
      const seen: { id: string; inputCiphertext: string }[] = [];
      for await (const page of deadLetters.inputs(3)) {
        pages.push(page.length);
        seen.push(...page);
      }
      expect(pages).toEqual([3, 3, 1]);
      expect(seen.map((s) => s.id).sort()).toEqual([...ids].sort());
      const replaced = await deadLetters.rewrapInputs([
        ...seen
          .slice(0, 6)
          .map((s) => ({ id: s.id, fromCiphertext: s.inputCiphertext, ciphertext: `new-${s.id}` })),
        // Stale: its input changed since it was read, so it is left alone.
        { id: seen[6]!.id, fromCiphertext: 'not-what-is-stored', ciphertext: 'lost' },
      ]);
      expect(replaced).toBe(6);
      expect((await deadLetters.get(seen[0]!.id))?.inputCiphertext).toBe(`new-${seen[0]!.id}`);
      expect((await deadLetters.get(seen[6]!.id))?.inputCiphertext).toBe(seen[6]!.inputCiphertext);
    });

    it('compares and sets kv values, and sweeps expired rows by prefix', async () => {
      const { repos, clock } = await setup();
      const { kv } = repos;
      clock.set(1000);
      expect(await kv.setIfAbsent('lease:a', 'owner-1', 100)).toBe(true);
      expect(await kv.replaceIf('lease:a', 'owner-2', 'owner-2', 100)).toBe(false);
      expect(await kv.replaceIf('lease:a', 'owner-1', 'owner-1', 500)).toBe(true);
      clock.set(1400);
      expect(await kv.get('lease:a')).toBe('owner-1'); // renewed past its first expiry
      expect(await kv.deleteIf('lease:a', 'owner-2')).toBe(false);
      expect(await kv.deleteIf('lease:a', 'owner-1')).toBe(true);
      await kv.set('lease:b', 'x', 10);
      await kv.set('lease:c', 'y');
      await kv.set('other:d', 'z', 10);
      clock.set(2000);
      expect(await kv.replaceIf('lease:b', 'x', 'x2', 10)).toBe(false); // expired: not renewable
      expect(await kv.deleteExpired('lease:')).toBe(1);
      expect(await kv.get('lease:c')).toBe('y');
      expect(await kv.deleteExpired('other:')).toBe(1);
    });

    it('keeps small state in kv, with expiry', async () => {
      const { repos, clock } = await setup();
      const { kv } = repos;
      clock.set(100);
      await kv.set('a', '1');
      expect(await kv.get('a')).toBe('1');
      await kv.set('a', '2', 50);
      expect(await kv.get('a')).toBe('2');
      clock.set(200);
      expect(await kv.get('a')).toBeUndefined();
      expect(await kv.setIfAbsent('a', '3')).toBe(true);
      expect(await kv.setIfAbsent('a', '4')).toBe(false);
      expect(await kv.get('a')).toBe('3');
      expect(await kv.delete('a')).toBe(true);
    });
  });
}
