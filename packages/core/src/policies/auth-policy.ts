import type { AuthStrategy } from '../auth/auth-strategy.js';
import type { Policy } from './pipeline.js';

/** Applies the credential to each attempt's copy of the request. */
export function authPolicy(auth: AuthStrategy): Policy {
  return (next) => (req, call, signal) => {
    const pending = auth.apply(req);
    return pending ? pending.then(() => next(req, call, signal)) : next(req, call, signal);
  };
}
