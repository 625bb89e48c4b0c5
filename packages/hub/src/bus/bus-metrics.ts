import { Counter, register as defaultRegistry, Histogram, type Registry } from 'prom-client';

/** How a command ended, as counted in `patchbay_bus_commands_total`. */
export type CommandOutcome =
  /** Ran and succeeded: a `_completed` event. */
  | 'completed'
  /** Ran and failed for good: a `_failed` event. */
  | 'failed'
  /** Did not validate (bad JSON, missing field, unknown tool): a `_failed` event, never run. */
  | 'invalid'
  /** Already ran (a redelivery or a duplicate): its stored outcome was published again. */
  | 'duplicate'
  /** Failed temporarily: sent to a retry queue. */
  | 'retried'
  /** Failed temporarily on its last attempt: a `_failed` event and a copy in the dead-letter queue. */
  | 'dead_lettered'
  /** Not finished (storage or broker trouble, or the hub closing): given back to the queue. */
  | 'requeued';

export type PublishKind = 'event' | 'retry' | 'dead_letter';

export interface BusMetrics {
  commands: Counter<'tool' | 'outcome'>;
  commandSeconds: Histogram<'tool' | 'outcome'>;
  confirmSeconds: Histogram<'kind'>;
  reconnects: Counter<never>;
}

function single<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * The bus's metrics, registered once per registry (several buses in one process, as in tests,
 * share them).
 */
export function busMetrics(registry: Registry = defaultRegistry): BusMetrics {
  const registers = [registry];
  return {
    commands: single(
      registry,
      'patchbay_bus_commands_total',
      () =>
        new Counter({
          name: 'patchbay_bus_commands_total',
          help: 'Bus commands consumed, by tool and outcome (tool is "invalid" when the command did not name a known tool)',
          labelNames: ['tool', 'outcome'],
          registers,
        }),
    ),
    commandSeconds: single(
      registry,
      'patchbay_bus_command_duration_seconds',
      () =>
        new Histogram({
          name: 'patchbay_bus_command_duration_seconds',
          help: 'Bus commands from delivery to acknowledgement, by tool and outcome',
          labelNames: ['tool', 'outcome'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
          registers,
        }),
    ),
    confirmSeconds: single(
      registry,
      'patchbay_bus_publish_confirm_seconds',
      () =>
        new Histogram({
          name: 'patchbay_bus_publish_confirm_seconds',
          help: "Bus publishes until the broker's confirm, by kind (event, retry, dead_letter)",
          labelNames: ['kind'],
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers,
        }),
    ),
    reconnects: single(
      registry,
      'patchbay_bus_reconnects_total',
      () =>
        new Counter({
          name: 'patchbay_bus_reconnects_total',
          help: 'Times the bus lost its broker connection and set out to reconnect',
          registers,
        }),
    ),
  };
}
