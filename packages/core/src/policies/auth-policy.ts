import type { AuthStrategy } from '../auth/auth-strategy.js';
import { isErrorType } from '../errors/integration-error.js';
import type { PreparedRequest } from '../http/types.js';
import type { CallContext, Policy } from './pipeline.js';

/**
 * The auth stage, with re-authentication: applies the credential to each attempt and, when the
 * upstream answers 401 and the strategy renews its credential, sends the attempt once more.
 * At most once per call (a 401 on the fresh credential is the caller's answer), and the resend
 * is a fresh copy of the request so signing after auth signs it anew. A POST is safe to resend:
 * a 401 is answered before the request is acted on.
 * Strategies without `onUnauthorized` (static credentials) take a synchronous path.
 */
export function authPolicy(auth: AuthStrategy): Policy {
  const onUnauthorized = auth.onUnauthorized?.bind(auth);
  if (!onUnauthorized) {
    return (next) => (req, call, signal) => {
      const pending = auth.apply(req);
      return pending ? pending.then(() => next(req, call, signal)) : next(req, call, signal);
    };
  }
  const reauthenticated = new WeakSet<CallContext>();
  return (next) => async (req, call, signal) => {
    const pristine: PreparedRequest = { ...req, headers: { ...req.headers } };
    await auth.apply(req);
    try {
      return await next(req, call, signal);
    } catch (error) {
      if (!isErrorType(error, 'IntegrationAuthError') || error.status !== 401 || reauthenticated.has(call)) {
        throw error;
      }
      reauthenticated.add(call);
      if (!(await onUnauthorized(req))) throw error;
      await auth.apply(pristine);
      return next(pristine, call, signal);
    }
  };
}
