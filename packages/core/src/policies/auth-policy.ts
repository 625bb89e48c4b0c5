import type { AuthStrategy } from '../auth/auth-strategy.js';
import { IntegrationTimeoutError, isErrorType } from '../errors/integration-error.js';
import type { PreparedRequest } from '../http/types.js';
import { type Clock, systemClock } from './clock.js';
import type { CallContext, Policy } from './pipeline.js';

/**
 * The auth stage, with re-authentication: applies the credential to each attempt and, when the
 * upstream answers 401 and the strategy renews its credential, sends the attempt once more.
 * At most once per call (a 401 on the fresh credential is the caller's answer), and the resend
 * is a fresh copy of the request so signing after auth signs it anew. A POST is safe to resend:
 * a 401 is answered before the request is acted on.
 * Strategies without `onUnauthorized` (static credentials) take a synchronous path.
 */
export function authPolicy(auth: AuthStrategy, clock: Clock = systemClock): Policy {
  const onUnauthorized = auth.onUnauthorized?.bind(auth);
  if (!onUnauthorized) {
    return (next) => (req, call, signal) => {
      const pending = auth.apply(req);
      return pending
        ? withinCall(pending, call, clock).then(() => next(req, call, signal))
        : next(req, call, signal);
    };
  }
  const reauthenticated = new WeakSet<CallContext>();
  return (next) => async (req, call, signal) => {
    const pristine: PreparedRequest = { ...req, headers: { ...req.headers } };
    const pending = auth.apply(req);
    if (pending) await withinCall(pending, call, clock);
    try {
      return await next(req, call, signal);
    } catch (error) {
      if (!isErrorType(error, 'IntegrationAuthError') || error.status !== 401 || reauthenticated.has(call)) {
        throw error;
      }
      reauthenticated.add(call);
      if (!(await withinCall(onUnauthorized(req), call, clock))) throw error;
      const again = auth.apply(pristine);
      if (again) await withinCall(again, call, clock);
      return next(pristine, call, signal);
    }
  };
}

/**
 * Waits for a credential (a token refresh shared by many callers) no longer than this call may:
 * its caller's abort or its deadline ends the wait at once. The refresh itself goes on for the
 * others.
 */
function withinCall<T>(work: Promise<T>, call: CallContext, clock: Clock): Promise<T> {
  const left = call.deadlineAt - clock.now();
  if (call.signal === undefined && !Number.isFinite(left)) return work;
  return new Promise<T>((resolve, reject) => {
    const caller = call.signal;
    if (caller?.aborted) return reject(caller.reason);
    const onAbort = () => finish(() => reject(caller?.reason));
    const timer = Number.isFinite(left)
      ? setTimeout(
          () =>
            finish(() =>
              reject(
                new IntegrationTimeoutError(
                  `Deadline of ${call.totalTimeout} ms exceeded while obtaining credentials for ${call.integration}`,
                  {
                    integration: call.integration,
                    operation: call.operation,
                    code: 'DEADLINE_EXCEEDED',
                    requestSent: false,
                  },
                ),
              ),
            ),
          Math.max(0, left),
        )
      : undefined;
    const finish = (settle: () => void) => {
      if (timer) clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
      settle();
    };
    caller?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
