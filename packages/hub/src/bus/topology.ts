import type { Channel } from 'amqplib';

/**
 * The names of the exchanges and queues the command bus uses. The defaults are seed 002's
 * (`commands.exchange`, `events.exchange`, routing keys `integrations.*`); tests give each run its
 * own names so that runs do not share queues.
 */
export interface BusTopology {
  /** Topic exchange the agents publish commands to. @default 'commands.exchange' */
  commandsExchange: string;
  /** Topic exchange the outcomes are published to. @default 'events.exchange' */
  eventsExchange: string;
  /** Where commands that keep failing go (topic, bound to {@link deadLetterQueue} with `#`). @default 'commands.dlx' */
  deadLetterExchange: string;
  /** The shared command queue every hub process consumes. @default 'patchbay.integrations.commands' */
  queue: string;
  /** Holds the dead-lettered commands for inspection. @default `${queue}.dead` */
  deadLetterQueue: string;
  /** Binding keys of {@link queue} on {@link commandsExchange}. @default ['integrations.*'] */
  bindingKeys: readonly string[];
}

export const DEFAULT_QUEUE = 'patchbay.integrations.commands';

/** The topology with seed 002's names, overridden field by field. */
export function busTopology(overrides: Partial<BusTopology> = {}): BusTopology {
  const queue = overrides.queue ?? DEFAULT_QUEUE;
  return {
    commandsExchange: overrides.commandsExchange ?? 'commands.exchange',
    eventsExchange: overrides.eventsExchange ?? 'events.exchange',
    deadLetterExchange: overrides.deadLetterExchange ?? 'commands.dlx',
    queue,
    deadLetterQueue: overrides.deadLetterQueue ?? `${queue}.dead`,
    bindingKeys: overrides.bindingKeys ?? ['integrations.*'],
  };
}

/**
 * The queue a retried command waits in: one per delay, each with that delay as its queue-wide
 * message TTL, dead-lettering back to the command queue. One TTL per queue is what makes the delay
 * exact: with per-message TTLs in one queue, a message only expires once it reaches the head, so a
 * 5 s retry would wait behind a 60 s one.
 */
export function retryQueueName(topology: BusTopology, delayMs: number): string {
  return `${topology.queue}.retry.${delayMs}ms`;
}

export interface DeclareOptions {
  /** Deliveries of one message (redeliveries after a crash or lost connection included) before the broker dead-letters it. */
  deliveryLimit: number;
  retryDelaysMs: readonly number[];
}

/**
 * Declares every exchange, queue and binding (idempotent: each hub process does it on every
 * connection, so a broker that lost its definitions gets them back).
 *
 * The command queue is a quorum queue: it is replicated in a cluster, and its `x-delivery-limit`
 * dead-letters a message that was delivered too often without an ack (one that crashes the
 * process handling it), which a classic queue would redeliver forever. Declaring it over an
 * existing classic queue of the same name fails with PRECONDITION_FAILED: delete that one first.
 */
export async function declareTopology(
  channel: Channel,
  topology: BusTopology,
  options: DeclareOptions,
): Promise<void> {
  await channel.assertExchange(topology.commandsExchange, 'topic', { durable: true });
  await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
  await channel.assertExchange(topology.deadLetterExchange, 'topic', { durable: true });
  await channel.assertQueue(topology.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '#');
  await channel.assertQueue(topology.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': topology.deadLetterExchange,
      'x-delivery-limit': options.deliveryLimit,
    },
  });
  for (const key of topology.bindingKeys) {
    await channel.bindQueue(topology.queue, topology.commandsExchange, key);
  }
  for (const delayMs of new Set(options.retryDelaysMs)) {
    // Classic: a queue-wide TTL with dead-lettering through the default exchange straight back to
    // the command queue (not through commands.exchange, whose other subscribers must not see retries).
    await channel.assertQueue(retryQueueName(topology, delayMs), {
      durable: true,
      arguments: {
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': topology.queue,
      },
    });
  }
}
