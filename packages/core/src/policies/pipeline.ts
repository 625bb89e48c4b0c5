import type { PreparedRequest, RawResponse } from '../http/types.js';
import type { AttemptSignal } from './attempt-signal.js';

/** What every policy may know about the call it is part of. */
export interface CallContext {
  readonly integration: string;
  readonly operation: string;
  /** The caller's signal: when it aborts, everything stops and its reason is thrown. */
  readonly signal: AbortSignal | undefined;
  /** Clock time (ms) by which the whole call must be done; `Infinity` for none. */
  readonly deadlineAt: number;
  /** The total budget the deadline came from, for messages. */
  readonly totalTimeout: number;
  /** 1-based number of the attempt in flight. */
  attempt: number;
}

/** One step of the request pipeline. `signal` is the current attempt's. */
export type Handler = (
  req: PreparedRequest,
  call: CallContext,
  signal?: AttemptSignal,
) => Promise<RawResponse>;

/** A policy wraps the next handler: cockatiel's `execute`, undici's interceptor. */
export type Policy = (next: Handler) => Handler;

/**
 * The one place the order of the pipeline is written, outermost first:
 * circuit breaker → retry → rate limiter → auth → sign → attempt timeout → classify → transport.
 * The breaker sits outside retry so an open circuit costs no token and no wait; the limiter
 * sits inside retry so every attempt takes a token and is learnt from, and before auth and
 * signing so a long wait does not stale a signature or token. (The read cache sits above the
 * client, in the integration, since it works on operations, not requests.)
 */
export function composePipeline(
  stages: {
    breaker?: Policy;
    retry: Policy;
    rateLimit?: Policy;
    auth: Policy;
    sign?: Policy;
    timeout: Policy;
    classify: Policy;
  },
  transport: Handler,
): Handler {
  const order: Policy[] = [];
  if (stages.breaker) order.push(stages.breaker);
  order.push(stages.retry);
  if (stages.rateLimit) order.push(stages.rateLimit);
  order.push(stages.auth);
  if (stages.sign) order.push(stages.sign);
  order.push(stages.timeout, stages.classify);
  for (const [index, policy] of order.entries()) {
    if (typeof policy !== 'function') throw new TypeError(`pipeline stage ${index} is not a policy function`);
  }
  return order.reduceRight<Handler>((next, policy) => policy(next), transport);
}
