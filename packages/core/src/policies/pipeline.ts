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
 * retry → auth → sign → attempt timeout → classify → transport. Issue-level policies that sit
 * outside retry (cache, rate limiter, circuit breaker) wrap the result of this function.
 */
export function composePipeline(
  stages: {
    retry: Policy;
    auth: Policy;
    sign?: Policy;
    timeout: Policy;
    classify: Policy;
  },
  transport: Handler,
): Handler {
  const order: Policy[] = [stages.retry, stages.auth];
  if (stages.sign) order.push(stages.sign);
  order.push(stages.timeout, stages.classify);
  for (const [index, policy] of order.entries()) {
    if (typeof policy !== 'function') throw new TypeError(`pipeline stage ${index} is not a policy function`);
  }
  return order.reduceRight<Handler>((next, policy) => policy(next), transport);
}
