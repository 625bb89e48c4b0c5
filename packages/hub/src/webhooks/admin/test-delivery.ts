import type { FastifyInstance } from 'fastify';
import { notFound } from '../../server/hub-errors.js';
import type { ProcessReport } from '../process/processor.js';
import type { ReceiptAnswer } from '../receive/receiver.js';
import { TEST_HEADER } from '../receive/receiver.js';
import type { WebhookRuntime } from '../runtime.js';
import { signedSample } from './test-sample.js';

/** One step of a test delivery, in the order the path runs them. */
export interface TestStep {
  step: 'sign' | 'receive' | 'store' | 'transform' | 'invalidate' | 'publish' | 'fan-out';
  ok: boolean;
  detail: Record<string, unknown>;
}

export interface TestReport {
  ok: boolean;
  source: string;
  steps: TestStep[];
}

/**
 * `POST /api/integrations/webhook/{name}/test`: signs a sample (or the given payload) with the
 * source's own scheme and secret, sends it through the real receiver route (body parser, signature
 * check, deduplication, storage), processes the stored delivery at once (transformation, cache
 * invalidation, bus, event stream, subscribers) and reports each step. The event is marked `test`
 * in the event stream and the logs.
 */
export async function runTestDelivery(
  app: FastifyInstance,
  runtime: WebhookRuntime,
  name: string,
  payload: unknown,
): Promise<TestReport> {
  const source = await runtime.sources.get(name);
  if (!source) throw notFound(`No webhook source named ${name}`);
  const url =
    source.name === 'slack' ? '/api/integrations/slack/webhook' : `/api/integrations/webhook/${source.name}`;
  const sample = signedSample(source, url, payload);
  const steps: TestStep[] = [
    {
      step: 'sign',
      ok: true,
      detail: {
        scheme: source.settings.verify,
        signed: source.settings.verify !== 'none',
        bytes: sample.body.length,
      },
    },
  ];
  const report = (): TestReport => ({ ok: steps.every((s) => s.ok), source: source.name, steps });

  const response = await app.inject({
    method: 'POST',
    url,
    headers: { ...sample.headers, [TEST_HEADER]: '1' },
    payload: sample.body,
  });
  const answer = response.json() as Partial<ReceiptAnswer> & { error?: { message?: string } };
  steps.push({
    step: 'receive',
    ok: response.statusCode === 200,
    detail: { status: response.statusCode, ...(answer.error ? { error: answer.error.message } : {}) },
  });
  if (response.statusCode !== 200 || !answer.id) return report();
  steps.push({
    step: 'store',
    ok: true,
    detail: { id: answer.id, deliveryId: answer.deliveryId, duplicate: answer.duplicate === true },
  });

  const processed = await runtime.processNow(answer.id);
  if (!processed) {
    steps.push({
      step: 'transform',
      ok: false,
      detail: { error: 'the delivery was already processed or is held' },
    });
    return report();
  }
  addProcessingSteps(steps, processed);
  return report();
}

function addProcessingSteps(steps: TestStep[], processed: ProcessReport): void {
  const failed = processed.outcome !== 'processed';
  const error = processed.error ? { error: processed.error.message, outcome: processed.outcome } : {};
  if (!processed.event) {
    steps.push({ step: 'transform', ok: false, detail: error });
    return;
  }
  steps.push({ step: 'transform', ok: true, detail: { event: processed.event } });
  steps.push({
    step: 'invalidate',
    ok: true,
    detail: { invalidations: processed.invalidations },
  });
  steps.push({
    step: 'publish',
    ok: !failed || processed.routingKey === null,
    detail:
      processed.routingKey === null
        ? { bus: 'not configured' }
        : { routingKey: processed.routingKey, ...error },
  });
  steps.push({
    step: 'fan-out',
    ok: !failed,
    detail: failed ? error : { eventSeq: processed.seq, subscribers: processed.subscribers },
  });
}
