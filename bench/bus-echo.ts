// The floor for bench/bus.bench.ts: a bare amqplib consumer that does what the bus does on the
// wire and nothing else. It declares the same kind of command queue (quorum, bound to the
// scenario's commands exchange), consumes with the same prefetch and manual acks, and for each
// command publishes a persistent `_completed` event on a confirm channel, acking the command once
// the broker confirmed it. No validation, no storage, no upstream call.
import { connect } from 'amqplib';
import { exitWhenAsked } from './lib/bus-process.ts';

try {
  const topology = JSON.parse(process.env.BENCH_BUS_TOPOLOGY ?? '{}') as {
    commandsExchange: string;
    eventsExchange: string;
    queue: string;
  };
  const connection = await connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange(topology.commandsExchange, 'topic', { durable: true });
  await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
  await channel.assertQueue(topology.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(topology.queue, topology.commandsExchange, 'integrations.*');
  await channel.prefetch(Number(process.env.BENCH_BUS_PREFETCH ?? 16));
  const { consumerTag } = await channel.consume(topology.queue, (message) => {
    if (!message) return;
    const command = JSON.parse(message.content.toString('utf8')) as Record<string, unknown>;
    const event = {
      task_id: command.task_id,
      step_id: command.step_id,
      tool_name: command.tool_name,
      status: 'completed',
      result: { echo: true },
      timestamp: new Date().toISOString(),
    };
    channel.publish(
      topology.eventsExchange,
      `integrations.${String(command.tool_name)}_completed`,
      Buffer.from(JSON.stringify(event)),
      { persistent: true, contentType: 'application/json' },
      (err: unknown) => (err ? channel.nack(message, false, true) : channel.ack(message)),
    );
  });
  exitWhenAsked(async () => {
    await channel.cancel(consumerTag);
    await channel.waitForConfirms().catch(() => undefined);
    await channel.close();
    await connection.close();
  });
  process.send?.({ type: 'ready' });
} catch (err) {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
