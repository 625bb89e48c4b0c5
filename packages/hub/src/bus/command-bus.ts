import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@patchbay/core';
import { type ChannelModel, type ConsumeMessage, connect, type RecoveringChannelModel } from 'amqplib';
import type { Registry } from 'prom-client';
import type { InvocationRunner } from '../operations/operation-invoker.js';
import type { IntegrationHost } from '../server/integration-host.js';
import type { KvRepository } from '../storage/index.js';
import type { ToolCatalog } from '../tools/tool-catalog.js';
import { type BusMetrics, busMetrics } from './bus-metrics.js';
import { BusPublishError, BusSession } from './bus-session.js';
import { type CommandHandlerDeps, type Handled, handleCommand } from './command-handler.js';
import { CommandLedger } from './command-ledger.js';
import { type ReconnectOptions, reconnectDelays } from './reconnect-delay.js';
import { ToolResolver } from './tool-resolver.js';
import { type BusTopology, busTopology, declareTopology } from './topology.js';

export interface CommandBusOptions {
  /** The broker, `AMQP_URL` (`amqp://user:pass@host:5672/vhost`); never logged with its password. */
  url: string;
  invoker: InvocationRunner;
  /** Where a command's tool is looked up (the usable integrations). */
  integrations: IntegrationHost;
  /** Where claims and outcomes are kept (the hub's kv table, shared by every hub process). */
  kv: KvRepository;
  log?: Logger;
  /** The tool catalog (for aliases other than seed 002's). @default new ToolCatalog() */
  catalog?: ToolCatalog;
  /** Exchange and queue names. @default seed 002's (see {@link busTopology}) */
  topology?: Partial<BusTopology>;
  /** Commands one hub process runs at once (the channel's prefetch). @default 16 */
  prefetch?: number;
  /**
   * The longest wait after each failed attempt of a temporary failure (jittered down to half);
   * there are `length + 1` attempts, then the command goes to the dead-letter exchange. `[]`: no
   * bus retries. Each delay is a queue, so choose a few. @default [5000, 30000]
   */
  retryDelaysMs?: readonly number[];
  /** Deliveries of one message without an ack (crashes, lost connections) before the broker dead-letters it. @default 10 */
  deliveryLimit?: number;
  /** How long a running command's claim holds without renewal. @default 30000 */
  leaseMs?: number;
  /** How long an outcome is kept to answer redeliveries and duplicates. @default 86400000 (a day) */
  outcomeTtlMs?: number;
  /** AMQP heartbeat, s: how soon a silent broker connection counts as lost. @default 15 */
  heartbeatSeconds?: number;
  /** TCP connect and handshake timeout, ms. @default 10000 */
  connectTimeoutMs?: number;
  /** Backoff between reconnect attempts (decorrelated jitter). */
  reconnect?: ReconnectOptions;
  /**
   * Connection attempts before {@link startCommandBus} gives up (a wrong URL or credentials stop
   * the hub loudly). Once connected, the bus reconnects for as long as it runs. @default 5
   */
  startupAttempts?: number;
  /** Pause before giving back a command the hub could not finish (storage down), ms. @default 1000 */
  requeueDelayMs?: number;
  /** Shown in the broker's connection list. @default 'patchbay-hub' */
  connectionName?: string;
  /** @default prom-client's default registry (what `/metrics` serves) */
  metricsRegistry?: Registry;
}

export type CommandBusState = 'connecting' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/** For `/readyz` and the dashboard. */
export interface CommandBusStatus {
  state: CommandBusState;
  /** Connected and consuming. */
  ready: boolean;
  queue: string;
  /** Commands being run right now. */
  inFlight: number;
  /** Commands finished (any outcome) since start. */
  handled: number;
  /** Connection losses since start. */
  reconnects: number;
  /** When the current connection was made (ISO 8601). */
  connectedAt?: string;
  /** The last connection error (no credentials in it). */
  lastError?: string;
}

/** A running command bus. */
export interface CommandBus {
  status(): CommandBusStatus;
  /**
   * Publishes an event (a webhook's normalized event) to the events exchange, persistent, and
   * resolves once the broker confirmed it; rejects while the bus is disconnected.
   */
  publishEvent(routingKey: string, event: unknown, messageId: string): Promise<void>;
  /**
   * Stops consuming, lets the commands in flight finish (their outcomes published and acked),
   * gives back the ones still waiting on another process's claim, and closes the connection.
   * Close it before the hub's storage.
   */
  close(): Promise<void>;
}

/**
 * Starts seed 002's command bus: consumes `{tool_name, parameters, task_id, step_id}` from
 * `commands.exchange` (routing key `integrations.<tool>`), runs each through the operation invoker
 * (channel `bus`), and publishes `{task_id, step_id, tool_name, status, result | error, timestamp}`
 * to `events.exchange` as `integrations.<tool>_<completed|failed>`. Resolves once it consumes.
 *
 * @example
 * ```ts
 * const bus = config.amqpUrl
 *   ? await startCommandBus({
 *       url: config.amqpUrl,
 *       invoker: hub.invoker,
 *       integrations: hub.integrations,
 *       kv: hub.repositories.kv,
 *       log: hub.app.log,
 *     })
 *   : undefined;
 * // on shutdown, before hub.close():
 * await bus?.close();
 * ```
 */
export async function startCommandBus(options: CommandBusOptions): Promise<CommandBus> {
  const bus = new AmqpCommandBus(options);
  await bus.start();
  return bus;
}

/** `amqp://user:***@host/vhost`: a URL safe to log. */
export function redactAmqpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable AMQP URL)';
  }
}

class AmqpCommandBus implements CommandBus {
  private readonly topology: BusTopology;
  private readonly metrics: BusMetrics;
  private readonly tools: ToolResolver;
  private readonly deps: CommandHandlerDeps;
  private readonly log: Logger | undefined;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly delays: ReturnType<typeof reconnectDelays>;
  private model: RecoveringChannelModel | undefined;
  private session: BusSession | undefined;
  private state: CommandBusState = 'connecting';
  private handled = 0;
  private reconnects = 0;
  private connectedAt: Date | undefined;
  private lastError: string | undefined;
  private closed: Promise<void> | undefined;
  /** Frees expired claim and outcome rows now and then (any process may; the delete is idempotent). */
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: CommandBusOptions) {
    this.topology = busTopology(options.topology);
    this.metrics = busMetrics(options.metricsRegistry);
    this.log = options.log?.child({ component: 'bus', queue: this.topology.queue });
    this.tools = new ToolResolver(options.integrations, options.catalog);
    this.delays = reconnectDelays(options.reconnect);
    const ledger = new CommandLedger(options.kv, {
      leaseMs: options.leaseMs ?? 30_000,
      outcomeTtlMs: options.outcomeTtlMs ?? 86_400_000,
      log: this.log,
    });
    this.sweeper = setInterval(() => {
      ledger
        .sweepExpired()
        .catch((err: unknown) => this.log?.warn({ err }, 'bus: expired outcomes not swept'));
    }, 300_000);
    this.sweeper.unref();
    this.deps = {
      invoker: options.invoker,
      tools: this.tools,
      ledger,
      topology: this.topology,
      retryDelaysMs: options.retryDelaysMs ?? [5_000, 30_000],
      metrics: this.metrics,
      log: this.log,
      closing: this.closing.signal,
    };
  }

  async start(): Promise<void> {
    const where = redactAmqpUrl(this.options.url);
    const model = await connect(withHeartbeat(this.options.url, this.options.heartbeatSeconds ?? 15), {
      timeout: this.options.connectTimeoutMs ?? 10_000,
      clientProperties: { connection_name: this.options.connectionName ?? 'patchbay-hub' },
      recovery: {
        waitForConnect: false,
        initialMaxRetries: Math.max(0, (this.options.startupAttempts ?? 5) - 1),
        maxRetries: Number.POSITIVE_INFINITY,
        calculateDelay: () => this.delays.next(),
        setup: (connection: ChannelModel) => this.setup(connection),
      },
    });
    this.model = model;
    model.on('connect', () => {
      this.delays.reset();
      this.state = this.closing.signal.aborted ? this.state : 'ready';
      this.connectedAt = new Date();
      this.log?.info({ broker: where }, 'bus: connected; consuming commands');
    });
    model.on('disconnect', (err: Error) => {
      this.session?.markClosed();
      this.reconnects++;
      this.metrics.reconnects.inc();
      this.lastError = err.message;
      if (!this.closing.signal.aborted) this.state = 'reconnecting';
      this.log?.warn({ broker: where, err: err.message }, 'bus: broker connection lost; reconnecting');
    });
    model.on('connect-failed', (err: Error) => {
      this.lastError = err.message;
      this.log?.warn({ broker: where, err: err.message }, 'bus: connection attempt failed');
    });
    model.on('blocked', (reason: string) => this.log?.warn({ reason }, 'bus: broker blocked publishing'));
    model.on('unblocked', () => this.log?.info('bus: broker unblocked publishing'));
    model.on('error', (err: Error) => this.log?.warn({ err: err.message }, 'bus: connection error'));
    try {
      await model.waitForConnect();
    } catch (error) {
      this.state = 'closed';
      this.tools.close();
      await model.close().catch(() => undefined);
      throw new Error(`command bus: cannot connect to ${where}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Runs on every (re)connection: a channel, the topology, the consumer. */
  private async setup(connection: ChannelModel): Promise<void> {
    // Until the recovery wrapper binds its own listener, an error here must not go unheard.
    connection.on('error', (err: Error) => this.log?.warn({ err: err.message }, 'bus: connection error'));
    const channel = await connection.createConfirmChannel();
    const session = new BusSession(channel, this.metrics);
    channel.on('error', (err: Error) => {
      this.lastError = err.message;
      this.log?.warn({ err: err.message }, 'bus: channel error');
    });
    channel.on('close', () => {
      // A channel closed by the broker on a live connection (a protocol error, a deleted queue):
      // drop the connection so recovery builds everything again.
      if (this.session === session && !this.closing.signal.aborted) connection.close().catch(() => undefined);
    });
    await declareTopology(channel, this.topology, {
      deliveryLimit: this.options.deliveryLimit ?? 10,
      retryDelaysMs: this.deps.retryDelaysMs,
    });
    await channel.prefetch(this.options.prefetch ?? 16);
    const { consumerTag } = await channel.consume(
      this.topology.queue,
      (message) => {
        if (message) this.dispatch(message, session);
        else this.cancelledByBroker(session, connection);
      },
      { noAck: false },
    );
    session.consumerTag = consumerTag;
    this.session = session;
  }

  private cancelledByBroker(session: BusSession, connection: ChannelModel): void {
    if (this.session !== session || this.closing.signal.aborted) return;
    this.log?.warn(
      'bus: the broker cancelled the consumer (queue deleted?); reconnecting to declare it again',
    );
    connection.close().catch(() => undefined);
  }

  private dispatch(message: ConsumeMessage, session: BusSession): void {
    const task = this.run(message, session).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async run(message: ConsumeMessage, session: BusSession): Promise<void> {
    const started = performance.now();
    let handled: Handled;
    try {
      handled = await handleCommand(message, session, this.deps);
    } catch (err) {
      handled = { tool: 'unknown', outcome: 'requeued' };
      const { signal } = this.closing;
      if (!session.alive) {
        this.log?.info('bus: connection lost before a command was acknowledged; the broker redelivers it');
        return this.count(handled, started);
      }
      if (!signal.aborted) {
        this.log?.error({ err }, 'bus: could not finish a command; giving it back to the queue');
        await sleep(this.options.requeueDelayMs ?? 1_000, undefined, { signal }).catch(() => undefined);
      }
      session.nack(message, true);
    }
    this.count(handled, started);
  }

  private count(handled: Handled, started: number): void {
    this.handled++;
    this.metrics.commands.labels(handled.tool, handled.outcome).inc();
    this.metrics.commandSeconds
      .labels(handled.tool, handled.outcome)
      .observe((performance.now() - started) / 1000);
  }

  publishEvent(routingKey: string, event: unknown, messageId: string): Promise<void> {
    const session = this.session;
    if (!session || this.state !== 'ready') {
      return Promise.reject(
        new BusPublishError(`the bus is ${this.state}; event ${messageId} not published`),
      );
    }
    return session.publish(
      'event',
      this.topology.eventsExchange,
      routingKey,
      Buffer.from(JSON.stringify(event)),
      {
        persistent: true,
        contentType: 'application/json',
        messageId,
      },
    );
  }

  status(): CommandBusStatus {
    return {
      state: this.state,
      ready: this.state === 'ready',
      queue: this.topology.queue,
      inFlight: this.inFlight.size,
      handled: this.handled,
      reconnects: this.reconnects,
      ...(this.connectedAt && this.state === 'ready' ? { connectedAt: this.connectedAt.toISOString() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.state = 'closing';
      clearInterval(this.sweeper);
      const session = this.session;
      if (session?.alive && session.consumerTag) {
        await session.channel.cancel(session.consumerTag).catch(() => undefined);
      }
      this.closing.abort();
      await Promise.allSettled([...this.inFlight]);
      // Close the channel before the connection: a quorum queue applies the last acks only if the
      // channel closes cleanly; closing the connection at once gives those commands back.
      if (session?.alive) await session.channel.close().catch(() => undefined);
      await this.model?.close().catch(() => undefined);
      this.tools.close();
      this.state = 'closed';
      this.log?.info({ handled: this.handled }, 'bus: closed');
    })();
    return this.closed;
  }
}

/** Adds `?heartbeat=` unless the URL sets it. */
function withHeartbeat(url: string, seconds: number): string {
  try {
    const parsed = new URL(url);
    if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
    return parsed.toString();
  } catch {
    return url; // amqplib reports the bad URL itself
  }
}
