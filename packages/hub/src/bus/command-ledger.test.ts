import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type HubDatabase, type KvRepository, openDatabase } from '../storage/index.js';
import { type BusEvent, completedEvent } from './bus-event.js';
import { CommandLedger, type LedgerClaim } from './command-ledger.js';

let dir: string;
let database: HubDatabase;
let kv: KvRepository;
let n = 0;
const nextKey = () => CommandLedger.key('task', `step-${++n}`);
const never = new AbortController().signal;
const at = new Date('2026-01-01T00:00:00.000Z');
const event = (id: string): BusEvent =>
  completedEvent({ task_id: 'task', step_id: id, tool_name: 'x_y' }, { id }, at);
const fast = { pollMs: { initial: 5, max: 20 } };

function claimed(claim: LedgerClaim) {
  if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${JSON.stringify(claim)}`);
  return claim.lease;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-ledger-'));
  database = await openDatabase({ dataDir: dir });
  kv = createRepositories(database).kv;
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CommandLedger', () => {
  it('gives the first claimer the command and later ones its stored outcome', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 10_000, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    const lease = claimed(await ledger.claim(key, never));
    await lease.complete(event('a'));
    expect(await ledger.claim(key, never)).toEqual({ kind: 'done', event: event('a') });
  });

  it('makes a second claimer wait for the running one, then hands it the outcome', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 10_000, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    const lease = claimed(await ledger.claim(key, never));
    let settled = false;
    const second = ledger.claim(key, never).finally(() => {
      settled = true;
    });
    await sleep(50);
    expect(settled).toBe(false);
    await lease.complete(event('b'));
    expect(await second).toEqual({ kind: 'done', event: event('b') });
  });

  it('lets a waiter give up through its signal', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 10_000, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    const lease = claimed(await ledger.claim(key, never));
    const abort = new AbortController();
    const waiting = ledger.claim(key, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await lease.release();
  });

  it('renews a running claim, so it outlives its lease while the runner lives', async () => {
    // The kv table reads a clock of our own: the lease runs out only when we say so.
    let now = 1_700_000_000_000;
    const clocked = createRepositories(database, () => now).kv;
    const ledger = new CommandLedger(clocked, { leaseMs: 300, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    const lease = claimed(await ledger.claim(key, never));
    const expiry = async () =>
      (await database.db.selectFrom('kv').select('expires_at').where('key', '=', key).executeTakeFirst())
        ?.expires_at;
    expect(await expiry()).toBe(now + 300);

    now += 200; // still held; the next renewal (every 100 ms of real time) pushes the expiry on
    await expect.poll(expiry).toBe(now + 300);
    now += 200; // past the first lease, within the renewed one
    const abort = new AbortController();
    const other = ledger.claim(key, abort.signal);
    setTimeout(() => abort.abort(), 30);
    await expect(other).rejects.toMatchObject({ name: 'AbortError' }); // it had to wait
    expect(lease.isHeld).toBe(true);
    await lease.complete(event('c'));
    expect(await ledger.claim(key, never)).toEqual({ kind: 'done', event: event('c') });
  });

  it('lets another claimer take over a claim whose runner died (lease lapsed, not renewed)', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 40, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    // A runner that died: its claim is in the table, and nothing renews it.
    await kv.set(key, JSON.stringify({ state: 'running', claim: 'dead-runner', since: Date.now() }), 40);
    const lease = claimed(await ledger.claim(key, never));
    await lease.complete(event('d'));
    expect(await ledger.claim(key, never)).toEqual({ kind: 'done', event: event('d') });
  });

  it('release() frees the command for the next claimer, but never deletes a claim taken over by another', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 10_000, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    await claimed(await ledger.claim(key, never)).release();
    const second = claimed(await ledger.claim(key, never));
    await second.complete(event('e'));

    const stale = claimed(await ledger.claim(nextKey(), never));
    const staleKey = CommandLedger.key('task', `step-${n}`);
    await kv.set(staleKey, JSON.stringify({ state: 'done', event: event('f') }), 60_000);
    await stale.release();
    expect(await ledger.claim(staleKey, never)).toEqual({ kind: 'done', event: event('f') });
  });

  it('sweeps expired claims and outcomes, and only its own keys', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 20, outcomeTtlMs: 20, ...fast });
    const lapsed = nextKey();
    const done = nextKey();
    await kv.set(lapsed, JSON.stringify({ state: 'running', claim: 'gone', since: Date.now() }), 20);
    await claimed(await ledger.claim(done, never)).complete(event('g'));
    await kv.set('other:expired', 'x', 20);
    const live = nextKey();
    await kv.set(live, JSON.stringify({ state: 'done', event: event('h') }), 60_000);
    await sleep(40);
    expect(await ledger.sweepExpired()).toBeGreaterThanOrEqual(2);
    expect(await kv.deleteExpired('other:')).toBe(1); // not the ledger's to sweep
    expect(await ledger.claim(live, never)).toEqual({ kind: 'done', event: event('h') });
  });

  it('refuses a key holding something that is not a ledger entry', async () => {
    const ledger = new CommandLedger(kv, { leaseMs: 10_000, outcomeTtlMs: 60_000, ...fast });
    const key = nextKey();
    await kv.set(key, 'garbage');
    await expect(ledger.claim(key, never)).rejects.toThrow(/not a ledger entry/);
  });

  it('keys and digests by both ids, unambiguously', () => {
    expect(CommandLedger.key('a:b', 'c')).not.toBe(CommandLedger.key('a', 'b:c'));
    expect(CommandLedger.key(7, 8)).toBe(CommandLedger.key('7', '8'));
    expect(CommandLedger.digest('t', 's')).toMatch(/^[0-9a-f]{40}$/);
    expect(CommandLedger.digest('t', 's')).not.toBe(CommandLedger.digest('s', 't'));
  });
});
