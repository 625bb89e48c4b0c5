import type { Logger } from '../../telemetry/logger.js';
import type { CircuitState, StateChangeReason, TransitionDetail } from './breaker-core.js';

/**
 * One line per transition: `warn` when the breaker opens (calls are being refused), `info` for
 * half-open and closed. Fields are numbers and codes only; never an error's message, which may
 * quote a response body.
 */
export function logTransition(
  log: Logger,
  name: string,
  from: CircuitState,
  to: CircuitState,
  reason: StateChangeReason,
  detail: TransitionDetail,
): void {
  const fields = { breaker: name, from, to, reason, ...detail };
  if (to === 'open') log.warn(fields, `Circuit breaker ${name} opened: ${explain(reason, detail)}`);
  else log.info(fields, `Circuit breaker ${name} ${to.replace('_', '-')}: ${explain(reason, detail)}`);
}

function explain(reason: StateChangeReason, detail: TransitionDetail): string {
  const next =
    detail.retryAfterMs === undefined ? '' : `; next probe in ${Math.ceil(detail.retryAfterMs / 1000)}s`;
  switch (reason) {
    case 'failure_threshold':
      return `${detail.failures} of ${detail.calls} calls in the window failed${next}`;
    case 'probe_failed':
      return `a probe failed${next}`;
    case 'recovery_timeout':
      return 'recovery timeout passed, probing the upstream';
    case 'probes_succeeded':
      return 'probes succeeded';
    case 'reset':
      return 'reset';
    case 'shared':
      return 'changed by another process sharing the store';
  }
}
