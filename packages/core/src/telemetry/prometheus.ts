import { Counter, register as defaultRegistry, Histogram, type Registry } from 'prom-client';
import type { Outcome } from '../errors/error-types.js';

const LABELS = ['integration', 'operation', 'method', 'outcome'] as const;

interface Instruments {
  calls: Counter<(typeof LABELS)[number]>;
  duration: Histogram<(typeof LABELS)[number]>;
  retries: Counter<'integration' | 'operation' | 'method' | 'reason'>;
  breaker: Counter<'integration' | 'to' | 'reason'>;
}

const byRegistry = new WeakMap<Registry, Instruments>();

/** The kernel's metric families, created once per registry and shared by every client in it. */
function instruments(registry: Registry): Instruments {
  let found = byRegistry.get(registry);
  if (found) return found;
  found = {
    calls: new Counter({
      name: 'patchbay_client_requests_total',
      help: 'Calls made through the Patchbay client, by outcome',
      labelNames: LABELS,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'patchbay_client_request_duration_seconds',
      help: 'Duration of whole calls (retries and waits included)',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'patchbay_client_retries_total',
      help: 'Retries, and retries refused, by reason',
      labelNames: ['integration', 'operation', 'method', 'reason'],
      registers: [registry],
    }),
    breaker: new Counter({
      name: 'patchbay_circuit_breaker_transitions_total',
      help: 'Circuit breaker state changes, by new state and reason',
      labelNames: ['integration', 'to', 'reason'],
      registers: [registry],
    }),
  };
  byRegistry.set(registry, found);
  return found;
}

interface CallSeries {
  inc(): void;
  observe(seconds: number): void;
}

/**
 * One client's view of the Prometheus families. Label children are cached: looking a series up
 * by its label object costs more than the request itself at high rates. Label values come from
 * code (integration and operation names, method, outcome), never from request data, so no
 * secret or id can become a label.
 */
export class PrometheusRecorder {
  private readonly instruments: Instruments;
  private readonly series = new Map<string, CallSeries>();

  constructor(
    private readonly integration: string,
    registry: Registry = defaultRegistry,
  ) {
    this.instruments = instruments(registry);
  }

  recordCall(operation: string, method: string, outcome: Outcome, seconds: number): void {
    const key = `${operation}\0${method}\0${outcome}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { integration: this.integration, operation, method, outcome };
      const counter = this.instruments.calls.labels(labels);
      const histogram = this.instruments.duration.labels(labels);
      series = { inc: () => counter.inc(), observe: (s) => histogram.observe(s) };
      this.series.set(key, series);
    }
    series.inc();
    series.observe(seconds);
  }

  recordBreakerTransition(to: string, reason: string): void {
    this.instruments.breaker.inc({ integration: this.integration, to, reason });
  }

  recordRetry(operation: string, method: string, reason: string): void {
    this.instruments.retries.inc({ integration: this.integration, operation, method, reason });
  }
}
