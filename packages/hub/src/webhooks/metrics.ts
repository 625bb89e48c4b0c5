import { Counter, register as globalRegistry, type Registry } from 'prom-client';

/** The webhook side's Prometheus metrics (on the registry `/metrics` serves). */
export interface WebhookMetrics {
  /** Refused deliveries by source (`(unknown)` for names that are not configured) and reason. */
  rejections: Counter<'source' | 'reason'>;
  /** Accepted deliveries by source and outcome (`stored`, `duplicate`). */
  received: Counter<'source' | 'outcome'>;
  /** Processing attempts by source and outcome (`processed`, `retry`, `dead`). */
  processed: Counter<'source' | 'outcome'>;
  /** Outbound attempts by subscriber and outcome (`delivered`, `retry`, `dead`). */
  outbound: Counter<'subscriber' | 'outcome'>;
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** Creates the metrics, or returns those already registered (several runtimes in one process share them). */
export function webhookMetrics(registry: Registry = globalRegistry): WebhookMetrics {
  return {
    rejections: counter(registry, 'patchbay_webhook_rejections_total', 'Webhook deliveries refused', [
      'source',
      'reason',
    ]),
    received: counter(registry, 'patchbay_webhook_deliveries_total', 'Webhook deliveries accepted', [
      'source',
      'outcome',
    ]),
    processed: counter(registry, 'patchbay_webhook_processing_total', 'Webhook processing attempts', [
      'source',
      'outcome',
    ]),
    outbound: counter(registry, 'patchbay_webhook_outbound_total', 'Outbound webhook attempts', [
      'subscriber',
      'outcome',
    ]),
  };
}
