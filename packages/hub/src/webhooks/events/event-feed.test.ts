// The feed on a real SQLite log, with sequence numbers written out of order the way concurrent
// PostgreSQL transactions can make them visible.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRepositories,
  type HubDatabase,
  openDatabase,
  type StoredWebhookEvent,
} from '../../storage/index.js';
import { EventFeed } from './event-feed.js';

let dir: string;
let database: HubDatabase;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-feed-'));
  database = await openDatabase({ dataDir: dir });
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

const write = (seq: number) =>
  database.db
    .insertInto('webhook_events')
    .values({
      seq,
      delivery_row_id: `row-${seq}`,
      source: 'github',
      type: 'push',
      event_id: `e-${seq}`,
      occurred_at: '2026-01-05T10:00:00.000Z',
      data: '{}',
      test: 0,
      created_at: 0,
    })
    .execute();

describe('EventFeed', () => {
  it('hands events over in order, waits for a hole to fill, and skips one that never does', async () => {
    await write(1);
    await write(2);
    const feed = new EventFeed({
      events: createRepositories(database).webhookEvents,
      pollMs: 10,
      gapGraceMs: 300,
    });
    const seen: StoredWebhookEvent[] = [];
    await feed.subscribe({ push: (event) => seen.push(event) });
    expect(await feed.position()).toBe(2); // a listener gets what comes after it joined

    await write(4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual([]); // 3 is not visible yet: 4 waits for it
    await write(3);
    await expect.poll(() => seen.map((e) => e.seq)).toEqual([3, 4]);

    await write(6); // 5 never commits
    await expect.poll(() => seen.map((e) => e.seq), { timeout: 2000 }).toEqual([3, 4, 6]);
    await feed.close();
  });
});
