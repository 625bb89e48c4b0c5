// Shared by the bus integration tests: a hub serving the `shop` integration, fast bus options,
// per-run exchange and queue names, and a broker client that publishes commands and collects
// events as an agent would.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ChannelModel, type ConfirmChannel, connect, type Options } from 'amqplib';
import { Registry } from 'prom-client';
import { loadHubConfig } from '../config/index.js';
import { generateMasterKey } from '../secrets/index.js';
import { createHub, type Hub } from '../server/create-hub.js';
import type { BusEvent } from './bus-event.js';
import type { CommandBusOptions } from './command-bus.js';
import { shop } from './fixtures/shop-integration.js';
import { type BusTopology, busTopology, retryQueueName } from './topology.js';

/** Fresh exchange and queue names, so test files (and runs) never share a queue. */
export function uniqueTopology(): BusTopology {
  const id = randomBytes(4).toString('hex');
  return busTopology({
    commandsExchange: `test.commands.${id}`,
    eventsExchange: `test.events.${id}`,
    deadLetterExchange: `test.dlx.${id}`,
    queue: `test.bus.${id}`,
  });
}

/** Retry delays the tests use: two short retries, so three attempts. */
export const TEST_RETRY_DELAYS_MS = [150, 300] as const;

export interface HubFixture {
  hub: Hub;
  dataDir: string;
  /** The env a second hub process needs to share this one's storage and upstream. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A hub on an embedded SQLite file serving `shop` against `upstreamUrl` with `token`. Pass the
 * `dataDir` and master key of another fixture to share its storage (as a second process would).
 */
export async function startHubFixture(options: {
  upstreamUrl: string;
  token?: string;
  share?: { dataDir: string; masterKey: string };
}): Promise<HubFixture> {
  const dataDir = options.share?.dataDir ?? (await mkdtemp(join(tmpdir(), 'patchbay-bus-')));
  const env = {
    PATCHBAY_DATA_DIR: dataDir,
    PATCHBAY_LOG_LEVEL: 'silent',
    PATCHBAY_MASTER_KEY: options.share?.masterKey ?? generateMasterKey(),
    PATCHBAY_ADMIN_TOKEN: 'bus-test-admin-token-0123456789',
    PORT: '0',
    DATABASE_URL: '',
    REDIS_URL: '',
    SHOP_TOKEN: options.token ?? 'shop-token-one',
    SHOP_API_URL: options.upstreamUrl,
  };
  const config = await loadHubConfig({ cwd: dataDir, env });
  const hub = await createHub({ config, integrations: [shop], auditFlushIntervalMs: 10 });
  return {
    hub,
    dataDir,
    env,
    async close() {
      await hub.close();
      if (!options.share) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Bus options for a test: its own names and metrics registry, short retries, fast reconnects. */
export function testBusOptions(
  hub: Hub,
  url: string,
  topology: BusTopology,
  overrides: Partial<CommandBusOptions> = {},
): CommandBusOptions {
  return {
    url,
    invoker: hub.invoker,
    integrations: hub.integrations,
    kv: hub.repositories.kv,
    log: hub.app.log as never,
    topology,
    retryDelaysMs: TEST_RETRY_DELAYS_MS,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    heartbeatSeconds: 5,
    startupAttempts: 1,
    requeueDelayMs: 50,
    metricsRegistry: new Registry(),
    ...overrides,
  };
}

/** An event as an agent receives it. */
export interface ReceivedEvent {
  routingKey: string;
  event: BusEvent;
  messageId: string | undefined;
  correlationId: string | undefined;
}

/**
 * The agent's side of the bus: publishes commands to the commands exchange (confirmed) and keeps
 * every event of the events exchange, through a connection of its own (not through any proxy).
 */
export class TestBroker {
  readonly events: ReceivedEvent[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    readonly topology: BusTopology,
  ) {}

  static async open(url: string, topology: BusTopology): Promise<TestBroker> {
    const connection = await connect(url);
    const channel = await connection.createConfirmChannel();
    const broker = new TestBroker(connection, channel, topology);
    await channel.assertExchange(topology.commandsExchange, 'topic', { durable: true });
    await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, topology.eventsExchange, 'integrations.#');
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        broker.events.push({
          routingKey: message.fields.routingKey,
          event: JSON.parse(message.content.toString('utf8')) as BusEvent,
          messageId: message.properties.messageId as string | undefined,
          correlationId: message.properties.correlationId as string | undefined,
        });
      },
      { noAck: true },
    );
    return broker;
  }

  /** Publishes a command (an object is sent as JSON; a string or Buffer as is), confirmed. */
  async publish(
    command: unknown,
    routingKey = `integrations.${(command as { tool_name?: string }).tool_name ?? 'unknown'}`,
    options: Options.Publish = {},
  ): Promise<void> {
    const content =
      Buffer.isBuffer(command) || typeof command === 'string'
        ? Buffer.from(command)
        : Buffer.from(JSON.stringify(command));
    await new Promise<void>((resolve, reject) => {
      this.channel.publish(
        this.topology.commandsExchange,
        routingKey,
        content,
        { persistent: true, contentType: 'application/json', ...options },
        (err: unknown) => (err ? reject(err) : resolve()),
      );
    });
  }

  /** Waits until at least `count` events arrived (or fails after `timeoutMs`). */
  async waitForEvents(count: number, timeoutMs = 15_000): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} events, got ${this.events.length}: ${JSON.stringify(this.events)}`,
        );
      }
      await sleep(20);
    }
    return this.events;
  }

  /** The events of one step. */
  eventsOf(taskId: string, stepId: string): ReceivedEvent[] {
    return this.events.filter((e) => e.event.task_id === taskId && e.event.step_id === stepId);
  }

  /** Messages ready in a queue (not counting those delivered and not yet acked). */
  async depth(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /** Consumers of a queue. */
  async consumers(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).consumerCount;
  }

  /** Takes every message out of a queue (for the dead letters). */
  async drain(
    queue: string,
  ): Promise<{ routingKey: string; body: unknown; headers: Record<string, unknown> }[]> {
    const out: { routingKey: string; body: unknown; headers: Record<string, unknown> }[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return out;
      out.push({
        routingKey: message.fields.routingKey,
        body: JSON.parse(message.content.toString('utf8')),
        headers: (message.properties.headers ?? {}) as Record<string, unknown>,
      });
    }
  }

  /** Deletes every exchange and queue of the topology, then closes the connection. */
  async dispose(retryDelaysMs: readonly number[] = TEST_RETRY_DELAYS_MS): Promise<void> {
    const { topology, channel } = this;
    const queues = [
      topology.queue,
      topology.deadLetterQueue,
      ...retryDelaysMs.map((d) => retryQueueName(topology, d)),
    ];
    for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
    for (const exchange of [
      topology.commandsExchange,
      topology.eventsExchange,
      topology.deadLetterExchange,
    ]) {
      await channel.deleteExchange(exchange).catch(() => undefined);
    }
    await this.connection.close().catch(() => undefined);
  }
}

/** A step's command. */
export function command(
  taskId: string,
  stepId: string,
  toolName: string,
  parameters: unknown,
): Record<string, unknown> {
  return { tool_name: toolName, parameters, task_id: taskId, step_id: stepId };
}
