import { afterAll, describe, expect, it } from 'vitest';
import { type HubDatabase, type OpenDatabaseOptions, openDatabase } from './database.js';
import { createRepositories } from './repositories.js';
import type { StorageHarness } from './storage.contract.js';
import type { ClaimedDelivery, NewWebhookDelivery } from './webhook-delivery-repository.js';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const delivery = (n: number, extra: Partial<NewWebhookDelivery> = {}): NewWebhookDelivery => ({
  source: 'github',
  deliveryId: `d-${n}`,
  contentType: 'application/json',
  headers: { 'x-github-event': 'push' },
  body: JSON.stringify({ n }),
  verification: 'verified',
  ...extra,
});

const outcome = (claim: ClaimedDelivery, subscribers: string[] = []) => ({
  event: {
    source: claim.source,
    type: 'push',
    eventId: claim.deliveryId,
    occurredAt: '2026-01-05T10:00:00.000Z',
    data: { n: 1 },
  },
  messageId: `msg_${claim.id}`,
  subscribers,
});

/** The webhook tables' contract: every dialect must pass all of it. */
export function webhookStorageContract(name: string, harness: StorageHarness): void {
  describe(`webhook storage on ${name}`, () => {
    const opened: HubDatabase[] = [];
    const open = async (where: OpenDatabaseOptions) => {
      const db = await openDatabase(where);
      opened.push(db);
      return db;
    };
    const setup = async () => {
      const where = await harness.fresh();
      const db = await open(where);
      const time = clock();
      return { where, db, time, repos: createRepositories(db, time.now) };
    };
    afterAll(async () => {
      await Promise.allSettled(opened.map((d) => d.close()));
      await harness.dispose();
    });

    it('stores a delivery once per (source, delivery id)', async () => {
      const { repos } = await setup();
      const first = await repos.webhookDeliveries.receive(delivery(1));
      const again = await repos.webhookDeliveries.receive(delivery(1, { body: 'changed' }));
      const otherSource = await repos.webhookDeliveries.receive(delivery(1, { source: 'stripe' }));
      expect(first.stored).toBe(true);
      expect(again).toEqual({ stored: false, id: first.id });
      expect(otherSource.stored).toBe(true);
      expect((await repos.webhookDeliveries.get(first.id ?? ''))?.body).toBe(JSON.stringify({ n: 1 }));
    });

    it('stores a batch in one transaction, telling new rows from known and repeated ones', async () => {
      const { repos } = await setup();
      const known = await repos.webhookDeliveries.receive(delivery(1));
      const results = await repos.webhookDeliveries.receiveMany([
        delivery(2),
        delivery(1),
        delivery(3),
        delivery(2, { body: 'again' }),
      ]);
      expect(results.map((r) => r.stored)).toEqual([true, false, true, false]);
      expect(results[1]?.id).toBe(known.id);
      expect(results[3]?.id).toBe(results[0]?.id);
      expect((await repos.webhookDeliveries.countByStatus()).pending).toBe(3);
    });

    it('claims due rows under a lease, hands a lapsed lease over, and fences the old holder', async () => {
      const { repos, time } = await setup();
      await repos.webhookDeliveries.receive(delivery(1));
      await repos.webhookDeliveries.receive(delivery(2, { nextAttemptAt: time.now() + 10_000 }));
      const [claim] = await repos.webhookDeliveries.claimDue(10, 1000);
      expect(claim).toMatchObject({ deliveryId: 'd-1', attempts: 1 });
      expect(await repos.webhookDeliveries.claimDue(10, 1000)).toEqual([]); // leased; d-2 not due
      time.advance(1001);
      const [takeover] = await repos.webhookDeliveries.claimDue(10, 1000);
      expect(takeover).toMatchObject({ deliveryId: 'd-1', attempts: 2 });
      expect(takeover?.leaseToken).not.toBe(claim?.leaseToken);
      // The first holder's late finish writes nothing.
      expect(
        await repos.webhookDeliveries.complete(claim as ClaimedDelivery, outcome(claim as ClaimedDelivery)),
      ).toBeUndefined();
      expect(await repos.webhookEvents.lastSeq()).toBe(0);
      expect(
        await repos.webhookDeliveries.complete(
          takeover as ClaimedDelivery,
          outcome(takeover as ClaimedDelivery, ['a', 'b']),
        ),
      ).toBe(1);
      expect(await repos.webhookDeliveries.get(takeover?.id ?? '')).toMatchObject({
        status: 'processed',
        eventType: 'push',
      });
      const [event] = await repos.webhookEvents.after(0);
      expect(event).toMatchObject({ seq: 1, source: 'github', type: 'push', eventId: 'd-1', data: { n: 1 } });
      expect(await repos.webhookOutbox.countByStatus()).toEqual({ pending: 2, delivered: 0, dead: 0 });
    });

    it('never gives one row to two concurrent claimers', async () => {
      const { where, repos } = await setup();
      for (let n = 0; n < 60; n++) await repos.webhookDeliveries.receive(delivery(n));
      const claimers = harness.concurrentHandles
        ? await Promise.all(Array.from({ length: 4 }, async () => createRepositories(await open(where))))
        : [repos, repos, repos, repos];
      const claimed: string[] = [];
      for (let round = 0; round < 20 && claimed.length < 60; round++) {
        const batches = await Promise.all(claimers.map((r) => r.webhookDeliveries.claimDue(7, 60_000)));
        for (const batch of batches) claimed.push(...batch.map((c) => c.id));
      }
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(60);
    });

    it('retries later, buries with its dead letter in one transaction, and requeues', async () => {
      const { repos, time } = await setup();
      const { id } = (await repos.webhookDeliveries.receive(delivery(1))) as { id: string };
      const [first] = await repos.webhookDeliveries.claimDue(1, 1000);
      expect(
        await repos.webhookDeliveries.retryLater(
          first as ClaimedDelivery,
          { message: 'bus down' },
          time.now() + 500,
        ),
      ).toBe(true);
      expect(await repos.webhookDeliveries.claimDue(1, 1000)).toEqual([]);
      time.advance(500);
      const [second] = await repos.webhookDeliveries.claimDue(1, 1000);
      const letter = {
        id: 'dl-1',
        integration: 'webhook',
        operation: 'github',
        inputCiphertext: 'sealed',
        error: { message: 'bus down' },
        attempts: 2,
      };
      expect(
        await repos.webhookDeliveries.bury(second as ClaimedDelivery, { message: 'bus down' }, letter),
      ).toBe(true);
      expect(await repos.webhookDeliveries.get(id)).toMatchObject({
        status: 'dead',
        attempts: 2,
        lastError: { message: 'bus down' },
      });
      expect(await repos.deadLetters.get('dl-1')).toMatchObject({
        integration: 'webhook',
        operation: 'github',
      });
      // A stale holder cannot bury (nor add a letter).
      expect(
        await repos.webhookDeliveries.bury(first as ClaimedDelivery, {}, { ...letter, id: 'dl-2' }),
      ).toBe(false);
      expect(await repos.deadLetters.get('dl-2')).toBeUndefined();
      expect(await repos.webhookDeliveries.requeue(id)).toBe(true);
      expect(await repos.webhookDeliveries.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await repos.webhookDeliveries.claimById(id, 1000)).toMatchObject({ id, attempts: 1 });
    });

    it('pages a source log newest first', async () => {
      const { repos, time } = await setup();
      for (let n = 0; n < 5; n++) {
        await repos.webhookDeliveries.receive(delivery(n));
        time.advance(1);
      }
      const page = await repos.webhookDeliveries.list({ source: 'github', limit: 3 });
      expect(page.rows.map((r) => r.deliveryId)).toEqual(['d-4', 'd-3', 'd-2']);
      const rest = await repos.webhookDeliveries.list({
        source: 'github',
        limit: 3,
        cursor: page.nextCursor as string,
      });
      expect(rest.rows.map((r) => r.deliveryId)).toEqual(['d-1', 'd-0']);
      expect(rest.nextCursor).toBeUndefined();
      expect(await repos.webhookDeliveries.countByStatus('github')).toEqual({
        pending: 5,
        processed: 0,
        dead: 0,
      });
    });

    it('runs the outbox: claim, deliver, retry, bury with a letter, requeue', async () => {
      const { repos, time } = await setup();
      await repos.webhookDeliveries.receive(delivery(1));
      const [claim] = await repos.webhookDeliveries.claimDue(1, 1000);
      await repos.webhookDeliveries.complete(
        claim as ClaimedDelivery,
        outcome(claim as ClaimedDelivery, ['crm', 'erp']),
      );
      const entries = await repos.webhookOutbox.claimDue(10, 1000);
      expect(entries.map((e) => e.subscriber).sort()).toEqual(['crm', 'erp']);
      const crm = entries.find((e) => e.subscriber === 'crm');
      const erp = entries.find((e) => e.subscriber === 'erp');
      expect(await repos.webhookOutbox.delivered(crm as NonNullable<typeof crm>, 204)).toBe(true);
      expect(
        await repos.webhookOutbox.retryLater(
          erp as NonNullable<typeof erp>,
          { status: 500, error: { m: 1 } },
          time.now() + 100,
        ),
      ).toBe(true);
      time.advance(100);
      const [again] = await repos.webhookOutbox.claimDue(10, 1000);
      expect(again).toMatchObject({ subscriber: 'erp', attempts: 2, lastStatus: 500 });
      const letter = {
        id: 'dl-o',
        integration: 'webhook',
        operation: 'deliver:erp',
        inputCiphertext: 'x',
        error: {},
        attempts: 2,
      };
      expect(
        await repos.webhookOutbox.bury(
          again as NonNullable<typeof again>,
          { status: 500, error: {} },
          letter,
        ),
      ).toBe(true);
      expect(await repos.deadLetters.get('dl-o')).toBeDefined();
      expect(await repos.webhookOutbox.countByStatus()).toEqual({ pending: 0, delivered: 1, dead: 1 });
      expect(await repos.webhookOutbox.requeue(again?.id ?? '')).toBe(true);
      expect(await repos.webhookOutbox.claimById(again?.id ?? '', 1000)).toMatchObject({ attempts: 1 });
      const [event] = await repos.webhookEvents.bySeq([again?.eventSeq ?? 0]);
      expect(event?.deliveryRowId).toBe(claim?.id);
      expect((await repos.webhookOutbox.list('crm')).rows[0]).toMatchObject({
        status: 'delivered',
        lastStatus: 204,
      });
    });

    it('keeps sources and subscribers with sealed secrets in the secrets table', async () => {
      const { repos } = await setup();
      const config = repos.webhookConfig;
      await config.putSource('github', { verify: 'github' }, { ciphertext: 'env-1', keyId: 'k1' });
      expect(await repos.secrets.get('webhook/github', 'secrets')).toMatchObject({ ciphertext: 'env-1' });
      const updated = await config.putSource('github', { verify: 'github', toleranceSeconds: 60 }, undefined);
      expect(updated).toMatchObject({
        version: 2,
        settings: { toleranceSeconds: 60 },
        secrets: { ciphertext: 'env-1' },
      });
      await config.putSource('github', { verify: 'none' }, null);
      expect(await config.getSource('github')).toMatchObject({ version: 3, secrets: undefined });
      await config.putSource('stripe', { verify: 'stripe' }, { ciphertext: 'env-2', keyId: 'k1' });
      expect((await config.listSources()).map((s) => [s.name, s.secrets?.ciphertext])).toEqual([
        ['github', undefined],
        ['stripe', 'env-2'],
      ]);
      expect(await config.deleteSource('stripe')).toBe(true);
      expect(await repos.secrets.get('webhook/stripe', 'secrets')).toBeUndefined();

      await config.putSubscriber(
        'crm',
        { url: 'https://crm.example.com/h', eventTypes: ['github.*'], enabled: true },
        { ciphertext: 'env-3', keyId: 'k1' },
      );
      const again = await config.putSubscriber(
        'crm',
        { url: 'https://crm.example.com/h2', eventTypes: ['*'], enabled: false },
        undefined,
      );
      expect(again).toMatchObject({
        url: 'https://crm.example.com/h2',
        eventTypes: ['*'],
        enabled: false,
        version: 2,
        secrets: { ciphertext: 'env-3' },
      });
      expect((await config.listSubscribers()).map((s) => s.name)).toEqual(['crm']);
      expect(await config.deleteSubscriber('crm')).toBe(true);
      expect(await repos.secrets.get('webhook-subscriber/crm', 'secrets')).toBeUndefined();
    });
  });
}
