// The command bus against the real RabbitMQ: seed 002's round trip, failures, malformed commands,
// duplicates, alias tools, graceful close.
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ToolCatalog } from '../tools/tool-catalog.js';
import {
  command,
  type HubFixture,
  startHubFixture,
  TestBroker,
  testBusOptions,
  uniqueTopology,
} from './bus.harness.js';
import { type CommandBus, type CommandBusOptions, startCommandBus } from './command-bus.js';
import { CommandLedger } from './command-ledger.js';
import type { BusTopology } from './topology.js';

const amqp = await requireService('amqp');
const url = amqp.available ? amqp.url : '';
/** How long a poll may wait for the broker and the bus on a loaded machine (a wait, not a threshold). */
const WAIT = { timeout: 10_000 };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `patchbay_bus_commands_total` by outcome, from a bus's registry. */
async function counted(registry: Registry, outcome: string): Promise<number> {
  const metric = registry.getSingleMetric('patchbay_bus_commands_total');
  const values = metric ? (await metric.get()).values : [];
  return values.filter((v) => v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);
}

describe.skipIf(!amqp.available)('command bus (RabbitMQ)', () => {
  let up: FakeUpstream;
  let fixture: HubFixture;
  let topology: BusTopology;
  let broker: TestBroker;
  let registry: Registry;
  let bus: CommandBus | undefined;
  let step = 0;
  const task = `task-${Date.now()}`;
  const nextStep = () => `step-${++step}`;

  const start = async (overrides: Partial<CommandBusOptions> = {}) => {
    bus = await startCommandBus(
      testBusOptions(fixture.hub, url, topology, { metricsRegistry: registry, ...overrides }),
    );
    return bus;
  };

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
    registry = new Registry();
    broker = await TestBroker.open(url, topology);
  });
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
    await broker.dispose();
  });

  it('runs a command and publishes the result as integrations.<tool>_completed', async () => {
    up.on('GET', '/items/:id', (req) => reply.json(200, { id: req.params.id, name: 'lamp' }));
    await start();
    expect(bus?.status()).toMatchObject({ state: 'ready', ready: true, queue: topology.queue });
    const stepId = nextStep();
    await broker.publish(
      command(task, stepId, 'shop_get_item', { id: 'A-1' }),
      'integrations.shop_get_item',
      { correlationId: 'corr-7' },
    );

    const [received] = await broker.waitForEvents(1);
    expect(received?.routingKey).toBe('integrations.shop_get_item_completed');
    expect(received?.event).toEqual({
      task_id: task,
      step_id: stepId,
      tool_name: 'shop_get_item',
      status: 'completed',
      result: { id: 'A-1', name: 'lamp' },
      timestamp: expect.stringMatching(ISO),
    });
    expect(received?.correlationId).toBe('corr-7');
    expect(received?.messageId).toBe(CommandLedger.digest(task, stepId));
    const [request] = up.requestsTo('GET', '/items/A-1');
    expect(request?.headers.authorization).toBe('Bearer shop-token-one');
    expect(request?.headers['idempotency-key']).toBeUndefined(); // a read sends none

    await bus?.close();
    expect(await broker.depth(topology.queue)).toBe(0);
    expect(await counted(registry, 'completed')).toBe(1);
    expect(bus?.status()).toMatchObject({ state: 'closed', ready: false, handled: 1, inFlight: 0 });
  });

  it('accepts numeric ids and a command without parameters, and echoes them as sent', async () => {
    await start();
    await broker.publish({ tool_name: 'shop_get_item', task_id: 77, step_id: 3 });
    const [received] = await broker.waitForEvents(1);
    expect(received?.event).toMatchObject({ task_id: 77, step_id: 3, status: 'failed' });
    expect(received?.event.status === 'failed' && received.event.error).toMatchObject({
      type: 'IntegrationValidationError',
      issues: [{ path: 'parameters.id', message: expect.any(String) }],
    });
  });

  it('a write failing upstream publishes _failed with the typed error and its dead letter id, once', async () => {
    up.on('POST', '/items', reply.serverError(503));
    await start();
    const stepId = nextStep();
    await broker.publish(command(task, stepId, 'shop_create_item', { title: 'Bug' }));

    const [received] = await broker.waitForEvents(1);
    expect(received?.routingKey).toBe('integrations.shop_create_item_failed');
    const event = received?.event;
    if (event?.status !== 'failed') throw new Error(`expected a failed event, got ${JSON.stringify(event)}`);
    expect(event.error).toMatchObject({
      type: 'IntegrationTemporaryError',
      retryable: true,
      status: 503,
      httpStatus: 503,
      integration: 'shop',
      operation: 'create_item',
      attempts: 1,
      deadLetterId: expect.any(String),
    });
    const letter = await fixture.hub.repositories.deadLetters.get(event.error.deadLetterId ?? '');
    expect(letter).toMatchObject({
      integration: 'shop',
      operation: 'create_item',
      requestId: `${task}:${stepId}`,
    });

    // The write went out once, with the step's idempotency key; the hub's DLQ owns its replay.
    const posts = up.requestsTo('POST', '/items');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers['idempotency-key']).toBe(`patchbay-bus-${CommandLedger.digest(task, stepId)}`);
    expect(letter?.idempotencyKey).toBe(`patchbay-bus-${CommandLedger.digest(task, stepId)}`);
    await bus?.close();
    expect(await broker.depth(topology.queue)).toBe(0);
    expect(await broker.depth(topology.deadLetterQueue)).toBe(0);
    expect(await counted(registry, 'failed')).toBe(1);
  });

  it('answers malformed commands with _failed events naming the field, and acks them all', async () => {
    await start();
    await broker.publish('{"tool_name": "shop_get_item", ', 'integrations.shop_get_item');
    await broker.publish({ parameters: {}, task_id: 't-m', step_id: 'no-tool' }, 'integrations.whatever');
    await broker.publish(command('t-m', 'unknown', 'shop_delete_everything', {}));
    await broker.publish(command('t-m', 'bad-params', 'shop_get_item', { id: 5 }));
    await broker.publish({ tool_name: 'shop_get_item', parameters: { id: 'x' }, step_id: 'no-task' });
    await broker.publish(command('t-m', 'array-params', 'shop_get_item', ['x']));

    const events = await broker.waitForEvents(6);
    const byStep = (stepId: string | null) => events.find((e) => e.event.step_id === stepId);
    const issues = (stepId: string | null) => {
      const event = byStep(stepId)?.event;
      return event?.status === 'failed' ? event.error.issues?.map((i) => i.path) : undefined;
    };

    const badJson = events.find((e) => e.event.step_id === null && e.event.tool_name === null);
    expect(badJson?.routingKey).toBe('integrations.shop_get_item_failed');
    expect(badJson?.event).toMatchObject({
      status: 'failed',
      task_id: null,
      error: {
        type: 'HubValidationError',
        code: 'INVALID_JSON',
        retryable: false,
        issues: [{ path: '(body)' }],
      },
    });
    expect(byStep('no-tool')?.routingKey).toBe('integrations.whatever_failed');
    expect(issues('no-tool')).toEqual(['tool_name']);
    expect(byStep('unknown')?.routingKey).toBe('integrations.shop_delete_everything_failed');
    expect(byStep('unknown')?.event).toMatchObject({
      task_id: 't-m',
      tool_name: 'shop_delete_everything',
      error: {
        type: 'HubValidationError',
        issues: [{ path: 'tool_name', message: expect.stringMatching(/no tool/) }],
      },
    });
    expect(byStep('bad-params')?.event).toMatchObject({
      error: { type: 'IntegrationValidationError', retryable: false, httpStatus: 400 },
    });
    expect(issues('bad-params')).toEqual(['parameters.id']);
    expect(issues('no-task')).toEqual(['task_id']);
    expect(issues('array-params')).toEqual(['parameters']);
    expect(up.requests).toHaveLength(0);

    await bus?.close();
    expect(await broker.depth(topology.queue)).toBe(0);
    expect(await broker.depth(topology.deadLetterQueue)).toBe(0);
    expect(await counted(registry, 'invalid')).toBe(5);
  });

  it('runs a duplicate (same task_id and step_id) once and publishes the stored outcome again', async () => {
    let served = 0;
    up.on('GET', '/items/:id', () => reply.json(200, { served: ++served }));
    await start();
    const stepId = nextStep();
    const sent = command(task, stepId, 'shop_get_item', { id: 'dup' });
    await broker.publish(sent);
    await broker.waitForEvents(1);
    await broker.publish(sent);
    const [first, second] = await broker.waitForEvents(2);

    expect(up.requestsTo('GET', '/items/dup')).toHaveLength(1);
    expect(second?.event).toEqual(first?.event); // the same outcome, timestamp included
    expect(second?.messageId).toBe(first?.messageId);
    expect(first?.event).toMatchObject({ status: 'completed', result: { served: 1 } });
    expect(await counted(registry, 'duplicate')).toBe(1);
  });

  it('a duplicate arriving while the command runs waits for its outcome instead of running it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    up.on('GET', '/items/:id', async () => {
      await gate;
      return reply.json(200, { ok: true });
    });
    await start({ prefetch: 4 });
    const stepId = nextStep();
    const sent = command(task, stepId, 'shop_get_item', { id: 'slow' });
    await broker.publish(sent);
    await broker.publish(sent);
    await expect.poll(() => bus?.status().inFlight, WAIT).toBe(2);
    // The first run's request may still be on its way (a cold connection): wait for it.
    await expect.poll(() => up.requests.length, WAIT).toBe(1);
    release();

    const events = await broker.waitForEvents(2);
    expect(events.map((e) => e.event.status)).toEqual(['completed', 'completed']);
    expect(up.requestsTo('GET', '/items/slow')).toHaveLength(1);
  });

  it('resolves a catalog alias, renaming its parameters, and reports issues under the alias names', async () => {
    up.on('GET', '/items/:id', (req) => reply.json(200, { id: req.params.id }));
    const catalog = new ToolCatalog([
      {
        name: 'shop_lookup',
        integration: 'shop',
        operation: 'get_item',
        description: 'Look up',
        rename: { item_id: 'id' },
      },
    ]);
    await start({ catalog });
    await broker.publish(command(task, 'alias-ok', 'shop_lookup', { item_id: 'B-2' }));
    await broker.publish(command(task, 'alias-bad', 'shop_lookup', { item_id: 12 }));
    const events = await broker.waitForEvents(2);
    const ok = events.find((e) => e.event.step_id === 'alias-ok');
    const bad = events.find((e) => e.event.step_id === 'alias-bad');
    expect(ok?.routingKey).toBe('integrations.shop_lookup_completed');
    expect(ok?.event).toMatchObject({ tool_name: 'shop_lookup', result: { id: 'B-2' } });
    expect(bad?.routingKey).toBe('integrations.shop_lookup_failed');
    expect(bad?.event.status === 'failed' && bad.event.error.issues?.map((i) => i.path)).toEqual([
      'parameters.item_id',
    ]);
  });

  it('close() lets a command in flight finish: its event is published and it is acked', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    up.on('GET', '/items/:id', async () => {
      await gate;
      return reply.json(200, { late: true });
    });
    await start();
    await broker.publish(command(task, 'closing', 'shop_get_item', { id: 'late' }));
    await expect.poll(() => bus?.status().inFlight, WAIT).toBe(1);
    const closed = bus?.close();
    await expect.poll(() => bus?.status().state, WAIT).toBe('closing');
    release();
    await closed;
    expect(broker.events.map((e) => e.event)).toMatchObject([
      { step_id: 'closing', status: 'completed', result: { late: true } },
    ]);
    expect(await broker.depth(topology.queue)).toBe(0);
  });

  it('fails to start against a broker that is not there, without printing the password', async () => {
    const dead = 'amqp://guest:s3cret-pw@127.0.0.1:9';
    const attempt = startCommandBus(testBusOptions(fixture.hub, dead, topology, { startupAttempts: 2 }));
    await expect(attempt).rejects.toThrow(/cannot connect to amqp:\/\/guest:\*\*\*@127\.0\.0\.1:9/);
    await expect(attempt).rejects.not.toThrow(/s3cret-pw/);
  });
});
