import { TimeoutReason } from '../errors/classify.js';
import type { Clock } from './clock.js';
import type { Policy } from './pipeline.js';

/**
 * Gives each attempt its own abort signal that fires at the attempt timeout, at the call's
 * deadline, whichever is first, or when the caller aborts. The reason says which.
 */
export function attemptTimeoutPolicy(options: { timeout: number; clock: Clock }): Policy {
  return (next) => async (req, call) => {
    const caller = call.signal;
    if (caller?.aborted) throw caller.reason;
    const left = call.deadlineAt - options.clock.now();
    const byDeadline = left < options.timeout;
    const wait = Math.max(0, byDeadline ? left : options.timeout);
    const reason = byDeadline
      ? new TimeoutReason('DEADLINE_EXCEEDED', call.totalTimeout)
      : new TimeoutReason('ATTEMPT_TIMEOUT', options.timeout);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(reason), wait);
    const onCallerAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await next(req, call, controller.signal);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  };
}
