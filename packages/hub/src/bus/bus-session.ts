import type { ConfirmChannel, Message, Options } from 'amqplib';
import type { BusMetrics, PublishKind } from './bus-metrics.js';

/** A publish the broker did not confirm (it nacked, or the channel closed first). */
export class BusPublishError extends Error {
  override readonly name = 'BusPublishError';
}

/**
 * One connection's channel: it consumes the commands and publishes outcomes in confirm mode.
 * Once it closes, it stays dead: deliveries it handed out can no longer be acknowledged (the
 * broker redelivers them), and the next connection gets a new session.
 */
export class BusSession {
  private open = true;
  consumerTag: string | undefined;

  constructor(
    readonly channel: ConfirmChannel,
    private readonly metrics: BusMetrics,
  ) {
    channel.once('close', () => {
      this.open = false;
    });
  }

  get alive(): boolean {
    return this.open;
  }

  markClosed(): void {
    this.open = false;
  }

  /** Publishes and resolves once the broker confirmed it (persisted, for a durable queue). */
  publish(
    kind: PublishKind,
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    if (!this.open) return Promise.reject(new BusPublishError('bus channel closed before publishing'));
    const started = performance.now();
    return new Promise((resolve, reject) => {
      try {
        this.channel.publish(exchange, routingKey, content, options, (err: unknown) => {
          this.metrics.confirmSeconds.labels(kind).observe((performance.now() - started) / 1000);
          if (err) {
            reject(new BusPublishError(`broker did not confirm the ${kind} publish: ${describe(err)}`));
          } else {
            resolve();
          }
        });
      } catch (err) {
        reject(new BusPublishError(`bus publish failed: ${describe(err)}`));
      }
    });
  }

  /** Acknowledges a delivery of this session; false when the channel is gone (it will be redelivered). */
  ack(message: Message): boolean {
    if (!this.open) return false;
    try {
      this.channel.ack(message);
      return true;
    } catch {
      return false;
    }
  }

  /** Gives a delivery back to the queue (or drops it with `requeue: false`, dead-lettering it). */
  nack(message: Message, requeue: boolean): boolean {
    if (!this.open) return false;
    try {
      this.channel.nack(message, false, requeue);
      return true;
    } catch {
      return false;
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
