// Temporary failures on the bus: bounded, delayed retries through the retry queues, then the
// dead-letter exchange; a Retry-After longer than any retry delay fails at once.
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  command,
  type HubFixture,
  startHubFixture,
  TEST_RETRY_DELAYS_MS,
  TestBroker,
  testBusOptions,
  uniqueTopology,
} from './bus.harness.js';
import { type CommandBus, startCommandBus } from './command-bus.js';
import { ATTEMPT_HEADER, DEAD_LETTER_HEADERS } from './command-handler.js';
import { type BusTopology, retryQueueName } from './topology.js';

const amqp = await requireService('amqp');
const url = amqp.available ? amqp.url : '';
/** How long a poll may wait for the broker and the bus on a loaded machine (a wait, not a threshold). */
const WAIT = { timeout: 10_000 };

describe.skipIf(!amqp.available)('command bus retries and dead letters (RabbitMQ)', () => {
  let up: FakeUpstream;
  let fixture: HubFixture;
  let topology: BusTopology;
  let broker: TestBroker;
  let bus: CommandBus;
  const task = `retries-${Date.now()}`;

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
    bus = await startCommandBus(testBusOptions(fixture.hub, url, topology));
  });
  afterEach(async () => {
    await bus.close();
    await broker.dispose();
  });

  it('retries a temporary failure after a delay and publishes only the final success', async () => {
    up.on('GET', '/items/:id', reply.serverError(503), reply.json(200, { id: 'flaky', back: true }));
    await broker.publish(command(task, 'flaky', 'shop_get_item', { id: 'flaky' }));

    const [received] = await broker.waitForEvents(1);
    expect(received?.event).toMatchObject({ step_id: 'flaky', status: 'completed', result: { back: true } });
    const [first, second] = up.requestsTo('GET', '/items/flaky');
    expect(second).toBeDefined();
    // The retry waited in the retry queue: at least half the first delay (the jitter's floor).
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(
      (TEST_RETRY_DELAYS_MS[0] ?? 0) / 2,
    );
    await bus.close();
    expect(broker.events).toHaveLength(1);
    expect(await broker.depth(topology.queue)).toBe(0);
    expect(await broker.depth(retryQueueName(topology, TEST_RETRY_DELAYS_MS[0] ?? 0))).toBe(0);
  });

  it('dead-letters a command that keeps failing after 1 + retries attempts, with one _failed event', async () => {
    up.on('GET', '/items/:id', reply.serverError(503));
    await broker.publish(
      command(task, 'down', 'shop_get_item', { id: 'down' }),
      'integrations.shop_get_item',
      {
        messageId: 'agent-msg-1',
        headers: { 'x-agent': 'planner' },
      },
    );

    const [received] = await broker.waitForEvents(1);
    const attempts = TEST_RETRY_DELAYS_MS.length + 1;
    expect(received?.routingKey).toBe('integrations.shop_get_item_failed');
    expect(received?.event).toMatchObject({
      task_id: task,
      step_id: 'down',
      status: 'failed',
      error: { type: 'IntegrationTemporaryError', retryable: true, status: 503, attempts },
    });
    expect(up.requestsTo('GET', '/items/down')).toHaveLength(attempts);

    await expect.poll(() => broker.depth(topology.deadLetterQueue), WAIT).toBe(1);
    const [dead] = await broker.drain(topology.deadLetterQueue);
    expect(dead?.routingKey).toBe('integrations.shop_get_item');
    expect(dead?.body).toEqual(command(task, 'down', 'shop_get_item', { id: 'down' }));
    expect(dead?.headers).toMatchObject({
      'x-agent': 'planner',
      [DEAD_LETTER_HEADERS.attempts]: attempts,
      [DEAD_LETTER_HEADERS.errorType]: 'IntegrationTemporaryError',
      [DEAD_LETTER_HEADERS.errorMessage]: expect.stringMatching(/503/),
      [ATTEMPT_HEADER]: attempts,
    });

    await bus.close();
    expect(broker.events).toHaveLength(1);
    expect(await broker.depth(topology.queue)).toBe(0);
    for (const delay of TEST_RETRY_DELAYS_MS)
      expect(await broker.depth(retryQueueName(topology, delay))).toBe(0);
  });

  it('fails at once, carrying the wait, when the upstream asks for longer than the longest retry delay', async () => {
    up.on('GET', '/items/:id', reply.rateLimited({ retryAfter: 120 }));
    await broker.publish(command(task, 'limited', 'shop_get_item', { id: 'limited' }));

    const [received] = await broker.waitForEvents(1);
    expect(received?.event).toMatchObject({
      status: 'failed',
      error: { type: 'IntegrationRateLimited', retryable: true, retryAfter: 120, attempts: 1 },
    });
    expect(up.requests).toHaveLength(1);
    await bus.close();
    expect(await broker.depth(topology.deadLetterQueue)).toBe(0);
  });

  it('a redelivered command after its final failure republishes the failure instead of running again', async () => {
    up.on('GET', '/items/:id', reply.json(404, { message: 'no such item' }));
    const sent = command(task, 'gone', 'shop_get_item', { id: 'gone' });
    await broker.publish(sent);
    await broker.waitForEvents(1);
    await broker.publish(sent);
    const [first, again] = await broker.waitForEvents(2);
    expect(first?.event).toMatchObject({
      status: 'failed',
      error: { type: 'IntegrationPermanentError', status: 404 },
    });
    expect(again?.event).toEqual(first?.event);
    expect(up.requests).toHaveLength(1);
  });
});
