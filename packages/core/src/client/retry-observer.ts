import type { RetryObserver } from '../policies/retry.js';
import type { Redactor } from '../redact/redactor.js';
import type { ClientMetrics } from '../telemetry/client-metrics.js';
import type { Logger } from '../telemetry/logger.js';
import type { PrometheusRecorder } from '../telemetry/prometheus.js';

/** Logs and counts every retry decision (seed 000: WARN "attempt 1/3 … retrying in 0.5s"). */
export function createRetryObserver(deps: {
  log: Logger | undefined;
  metrics: ClientMetrics;
  prometheus: PrometheusRecorder | undefined;
  redactor: Redactor;
}): RetryObserver {
  return {
    onRetry(error, req, call, delayMs, maxAttempts) {
      deps.metrics.recordRetry();
      if (error.type === 'IntegrationRateLimited') deps.metrics.recordRateLimitHit();
      deps.prometheus?.recordRetry(req.operation, req.method, error.outcome);
      deps.log?.warn(
        { error: error.toJSON(), attempt: call.attempt, maxAttempts, delayMs: Math.round(delayMs) },
        `Request failed (attempt ${call.attempt}/${maxAttempts}): ${error.type}: ${error.message}. ` +
          `Retrying in ${Number((delayMs / 1000).toFixed(2))}s...`,
      );
    },
    onGiveUp(_error, req, _call, reason) {
      if (reason === 'budget_exhausted') deps.metrics.recordBudgetExhausted();
      if (reason !== 'not_retryable' && reason !== 'status_not_retried') {
        deps.prometheus?.recordRetry(req.operation, req.method, `refused_${reason}`);
      }
    },
  };
}
