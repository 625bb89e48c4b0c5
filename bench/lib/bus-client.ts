import { randomBytes } from 'node:crypto';
import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import { type BusTopology, busTopology, retryQueueName } from '../../packages/hub/src/bus/index.ts';

/** Fresh names for one bench scenario (its own exchanges and queue). */
export function benchTopology(label: string): BusTopology {
  const id = `${label}.${randomBytes(3).toString('hex')}`;
  return busTopology({
    commandsExchange: `bench.commands.${id}`,
    eventsExchange: `bench.events.${id}`,
    deadLetterExchange: `bench.dlx.${id}`,
    queue: `bench.bus.${id}`,
  });
}

interface Waiting {
  resolve: (event: { status?: unknown }) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The agent's side of the bench: `call()` publishes one command (persistent, confirmed) and
 * resolves when its event arrives, so a call's latency is publish-to-event.
 */
export class BusLoadClient {
  private readonly waiting = new Map<string, Waiting>();
  private readonly task = `bench-${randomBytes(4).toString('hex')}`;
  private next = 0;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    readonly topology: BusTopology,
    private readonly timeoutMs: number,
  ) {}

  static async open(url: string, topology: BusTopology, timeoutMs = 30_000): Promise<BusLoadClient> {
    const connection = await connect(url);
    const channel = await connection.createConfirmChannel();
    const client = new BusLoadClient(connection, channel, topology, timeoutMs);
    await channel.assertExchange(topology.commandsExchange, 'topic', { durable: true });
    await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, topology.eventsExchange, 'integrations.#');
    await channel.consume(queue, (message) => message && client.settle(message.content), { noAck: true });
    return client;
  }

  readonly call = async (): Promise<unknown> => {
    const stepId = `s${this.next++}`;
    const event = new Promise<{ status?: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(stepId);
        reject(new Error(`no event for ${stepId} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiting.set(stepId, { resolve, reject, timer });
    });
    const content = Buffer.from(
      JSON.stringify({ tool_name: 'bench_small', parameters: {}, task_id: this.task, step_id: stepId }),
    );
    await new Promise<void>((resolve, reject) =>
      this.channel.publish(
        this.topology.commandsExchange,
        'integrations.bench_small',
        content,
        { persistent: true, contentType: 'application/json' },
        (err: unknown) => (err ? reject(new Error(`command not confirmed: ${String(err)}`)) : resolve()),
      ),
    );
    const received = await event;
    if (received.status !== 'completed')
      throw new Error(`command failed: ${JSON.stringify(received).slice(0, 300)}`);
    return received;
  };

  private settle(content: Buffer): void {
    const event = JSON.parse(content.toString('utf8')) as { step_id?: unknown; status?: unknown };
    const stepId = String(event.step_id);
    const waiting = this.waiting.get(stepId);
    if (!waiting) return; // a duplicate event (a redelivered command): the first one counted
    this.waiting.delete(stepId);
    clearTimeout(waiting.timer);
    waiting.resolve(event);
  }

  /** Deletes the scenario's exchanges and queues, then closes the connection. */
  async dispose(retryDelaysMs: readonly number[] = [5_000, 30_000]): Promise<void> {
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
