import type { InvocationOutcome } from '../operations/operation-invoker.js';
import type { DeadLetter } from '../storage/index.js';
import { openWebhookLetter, WEBHOOK_DLQ_INTEGRATION } from './dead-letters.js';
import type { WebhookRuntime } from './runtime.js';

/** True for the dead letters {@link replayWebhookDeadLetter} replays (integration `webhook`). */
export function isWebhookDeadLetter(letter: Pick<DeadLetter, 'integration'>): boolean {
  return letter.integration === WEBHOOK_DLQ_INTEGRATION;
}

const failed = (message: string, httpStatus: number, error?: unknown): InvocationOutcome => ({
  ok: false,
  error: error ?? new Error(message),
  body: { type: 'Error', message, retryable: false },
  httpStatus,
});

/**
 * Replays a webhook dead letter, once, now: a delivery whose processing failed is processed again
 * (transformation, invalidation, bus, stream, subscribers); an event a subscriber never took is
 * sent again, signed afresh. Marks the letter replayed or failed, as the operation invoker does for
 * operations, and answers in its outcome shape. A failed replay puts the row back as dead; it adds
 * no second dead letter.
 */
export async function replayWebhookDeadLetter(
  runtime: WebhookRuntime,
  letter: DeadLetter,
): Promise<InvocationOutcome> {
  const { repositories, cipher } = runtime.options;
  const target = openWebhookLetter(cipher, letter);
  let outcome: InvocationOutcome;
  if (target.kind === 'process') {
    await repositories.webhookDeliveries.requeue(target.deliveryRowId);
    const report = await runtime.processNow(target.deliveryRowId, { deadLetter: false });
    if (!report)
      outcome = failed(`delivery ${target.deliveryId} of ${target.source} is not waiting for replay`, 409);
    else if (report.outcome === 'processed') {
      outcome = {
        ok: true,
        result: { event: report.event, seq: report.seq, subscribers: report.subscribers },
      };
    } else outcome = failed(report.error?.message ?? `processing ended ${report.outcome}`, 502, report.error);
  } else {
    await repositories.webhookOutbox.requeue(target.outboxId);
    const claim = await repositories.webhookOutbox.claimById(target.outboxId, runtime.timings.leaseMs);
    if (!claim)
      outcome = failed(`message ${target.messageId} to ${target.subscriber} is not waiting for replay`, 409);
    else {
      const [work] = await runtime.dispatcher.withEvents([claim]);
      const result = work ? await runtime.dispatcher.dispatch(work, { deadLetter: false }) : 'lease_lost';
      const entry = await repositories.webhookOutbox.get(target.outboxId);
      outcome =
        result === 'delivered'
          ? {
              ok: true,
              result: {
                subscriber: target.subscriber,
                messageId: target.messageId,
                status: entry?.lastStatus,
              },
            }
          : failed(`delivery to ${target.subscriber} failed again`, 502, entry?.lastError);
    }
  }
  if (outcome.ok) await repositories.deadLetters.markReplayed(letter.id);
  else await repositories.deadLetters.markFailed(letter.id, outcome.body);
  return outcome;
}
