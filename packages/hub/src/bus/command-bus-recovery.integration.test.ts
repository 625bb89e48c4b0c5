// The bus losing its broker connection: a TCP proxy between the bus and RabbitMQ is cut and
// restored (the shared broker itself keeps running, so tests in parallel are unaffected).
// The lead exports this from @patchbay/testing; until then, by path.
import {
  type FakeUpstream,
  reply,
  requireService,
  startFakeUpstream,
  startTcpProxy,
  type TcpProxy,
} from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  command,
  type HubFixture,
  startHubFixture,
  TestBroker,
  testBusOptions,
  uniqueTopology,
} from './bus.harness.js';
import { type CommandBus, startCommandBus } from './command-bus.js';
import type { BusTopology } from './topology.js';

const amqp = await requireService('amqp');
const url = amqp.available ? amqp.url : '';
/** How long a poll may wait for the broker and the bus on a loaded machine (a wait, not a threshold). */
const WAIT = { timeout: 10_000 };

/** A gate the upstream waits on, to hold a command in flight. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe.skipIf(!amqp.available)('command bus across a lost broker connection (RabbitMQ)', () => {
  let up: FakeUpstream;
  let fixture: HubFixture;
  let topology: BusTopology;
  let broker: TestBroker;
  let proxy: TcpProxy;
  let registry: Registry;
  let bus: CommandBus;
  const task = `recovery-${Date.now()}`;

  beforeAll(async () => {
    up = await startFakeUpstream();
    fixture = await startHubFixture({ upstreamUrl: up.url });
  });
  afterAll(async () => {
    await fixture?.close();
    await up?.close();
  });
  beforeEach(async () => {
    up.reset();
    topology = uniqueTopology();
    broker = await TestBroker.open(url, topology);
    proxy = await startTcpProxy(url);
    registry = new Registry();
    bus = await startCommandBus(
      testBusOptions(fixture.hub, proxy.url ?? '', topology, { metricsRegistry: registry }),
    );
  });
  afterEach(async () => {
    proxy.restore();
    await bus.close();
    await proxy.close();
    await broker.dispose();
  });

  it('reconnects after the connection is lost and runs the commands published during the outage', async () => {
    up.on('GET', '/items/:id', (req) => reply.json(200, { id: req.params.id }));
    await broker.publish(command(task, 'before', 'shop_get_item', { id: 'before' }));
    await broker.waitForEvents(1);

    proxy.cut();
    await expect.poll(() => bus.status().state, WAIT).toBe('reconnecting');
    for (let i = 0; i < 5; i++) {
      await broker.publish(command(task, `during-${i}`, 'shop_get_item', { id: `during-${i}` }));
    }
    // The bus keeps knocking (and being refused) while the network is down.
    await expect.poll(() => proxy.refused, WAIT).toBeGreaterThanOrEqual(2);
    // The five wait in the queue; so may `before`, if the cut beat its ack (then it comes back,
    // and is answered from its stored outcome).
    expect(await broker.depth(topology.queue)).toBeGreaterThanOrEqual(5);
    expect(broker.events).toHaveLength(1);

    proxy.restore();
    const during = ['during-0', 'during-1', 'during-2', 'during-3', 'during-4'];
    await expect
      .poll(() => new Set(broker.events.map((e) => e.event.step_id)).size, { timeout: 15_000 })
      .toBe(6);
    for (const step of ['before', ...during]) {
      const mine = broker.eventsOf(task, step);
      expect(mine[0]?.event).toMatchObject({ status: 'completed', result: { id: step } });
      for (const e of mine) expect(e.event).toEqual(mine[0]?.event);
      expect(up.requestsTo('GET', `/items/${step}`), step).toHaveLength(1);
    }
    expect(bus.status()).toMatchObject({ state: 'ready', ready: true, reconnects: 1 });
    const reconnects = (await registry.getSingleMetric('patchbay_bus_reconnects_total')?.get())?.values[0];
    expect(reconnects?.value).toBe(1);
  });

  it('a command whose connection died mid-run is redelivered and answered from its stored outcome, not run twice', async () => {
    const held = gate();
    up.on('GET', '/items/:id', async () => {
      await held.wait;
      return reply.json(200, { ran: true });
    });
    await broker.publish(command(task, 'mid-run', 'shop_get_item', { id: 'mid' }));
    await expect.poll(() => up.requests.length, WAIT).toBe(1);

    proxy.cut(); // the broker sees the consumer go and puts the unacked command back
    await expect.poll(() => broker.depth(topology.queue), WAIT).toBe(1);
    held.open(); // the run finishes and stores its outcome; it cannot ack or publish now
    await expect.poll(() => bus.status().inFlight, WAIT).toBe(0);
    expect(broker.events).toHaveLength(0);

    proxy.restore();
    const [received] = await broker.waitForEvents(1);
    expect(received?.event).toMatchObject({ step_id: 'mid-run', status: 'completed', result: { ran: true } });
    expect(up.requests).toHaveLength(1);
    await bus.close();
    expect(broker.events).toHaveLength(1);
    expect(await broker.depth(topology.queue)).toBe(0);
  });

  it('a redelivery that arrives while the first run still holds the claim waits for it', async () => {
    const held = gate();
    up.on('GET', '/items/:id', async () => {
      await held.wait;
      return reply.json(200, { ran: 'once' });
    });
    await broker.publish(command(task, 'overlap', 'shop_get_item', { id: 'overlap' }));
    await expect.poll(() => up.requests.length, WAIT).toBe(1);

    proxy.cut();
    proxy.restore();
    // Reconnected: the broker redelivers the command to the new session while the old run waits upstream.
    await expect.poll(() => bus.status().inFlight, WAIT).toBe(2);
    held.open();

    const [received] = await broker.waitForEvents(1);
    expect(received?.event).toMatchObject({
      step_id: 'overlap',
      status: 'completed',
      result: { ran: 'once' },
    });
    await bus.close();
    expect(up.requests).toHaveLength(1);
    expect(broker.events).toHaveLength(1);
    expect(await broker.depth(topology.queue)).toBe(0);
  });
});
