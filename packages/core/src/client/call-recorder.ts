import { isIntegrationError } from '../errors/integration-error.js';
import type { PreparedRequest, RawResponse } from '../http/types.js';
import type { Redactor } from '../redact/redactor.js';
import type { ClientMetrics } from '../telemetry/client-metrics.js';
import type { Logger } from '../telemetry/logger.js';
import type { PrometheusRecorder } from '../telemetry/prometheus.js';
import type { ResolvedClientOptions } from './client-options.js';

export interface CallRecorder {
  success(req: PreparedRequest, raw: RawResponse, durationMs: number, attempts: number): void;
  failure(req: PreparedRequest, error: unknown, durationMs: number, attempts: number): void;
}

/** Counts and logs each finished call (seed 000: DEBUG on success, ERROR on final failure). */
export function createCallRecorder(deps: {
  log: Logger | undefined;
  metrics: ClientMetrics;
  prometheus: PrometheusRecorder | undefined;
  redactor: Redactor;
  settings: ResolvedClientOptions;
}): CallRecorder {
  const { log, metrics, prometheus, redactor, settings } = deps;
  return {
    success(req: PreparedRequest, raw: RawResponse, durationMs: number, attempts: number) {
      metrics.recordCall(durationMs, true);
      prometheus?.recordCall(req.operation, req.method, 'success', durationMs / 1000);
      if (log && settings.logResponses && log.isLevelEnabled('debug')) {
        const url = redactor.url(raw.url);
        const fields: Record<string, unknown> = {
          method: req.method,
          url,
          status: raw.status,
          durationMs: Math.round(durationMs),
          attempts,
        };
        if (settings.logResponseBody) fields.body = redactor.truncated(raw.body.toString('utf8'));
        log.debug(fields, `${req.method} ${url} -> ${raw.status} in ${Math.round(durationMs)}ms`);
      }
    },

    failure(req: PreparedRequest, error: unknown, durationMs: number, attempts: number) {
      metrics.recordCall(durationMs, false);
      if (!isIntegrationError(error)) {
        const aborted = callAborted(error);
        prometheus?.recordCall(req.operation, req.method, aborted ? 'aborted' : 'error', durationMs / 1000);
        if (!aborted) {
          log?.error(
            { method: req.method, operation: req.operation },
            `${req.method} ${redactor.url(req.origin + req.path)} failed: ${redactor.truncated(String(error))}`,
          );
        }
        return;
      }
      if (error.type === 'IntegrationRateLimited') metrics.recordRateLimitHit();
      prometheus?.recordCall(req.operation, req.method, error.outcome, durationMs / 1000);
      if (log) {
        const fields: Record<string, unknown> = {
          error: error.toJSON(),
          attempts,
          durationMs: Math.round(durationMs),
        };
        if (settings.logResponseBody && error.body) fields.body = error.body;
        log.error(fields, `${error.type}: ${error.message}`);
      }
    },
  };
}

function callAborted(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'AbortError' || error instanceof DOMException;
}
