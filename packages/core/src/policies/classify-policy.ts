import { attachResponse } from '../errors/attached-response.js';
import { type ErrorContext, errorFromResponse, errorFromThrown } from '../errors/classify.js';
import type { Redactor } from '../redact/redactor.js';
import type { Policy } from './pipeline.js';
import { latestExhaustedReset } from './rate-limit/pause-decision.js';
import { readUpstreamSignal } from './rate-limit/upstream-signal.js';

export interface ClassifyOptions {
  redactor: Redactor;
  timeouts: { connect: number; headers: number; body: number };
  wallNow: () => number;
}

/**
 * Turns whatever an attempt produced into success or a typed error: a non-2xx response or a
 * thrown transport error becomes an IntegrationError; the caller's own abort passes through.
 */
export function classifyPolicy(options: ClassifyOptions): Policy {
  return (next) => async (req, call, signal) => {
    const ctx = (): ErrorContext => ({
      integration: call.integration,
      operation: call.operation,
      method: req.method,
      url: req.origin + req.path,
      redactor: options.redactor,
    });
    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req, call, signal);
    } catch (thrown) {
      if (call.signal?.aborted) throw call.signal.reason;
      throw errorFromThrown(thrown, ctx(), options.timeouts);
    }
    if ((res.status >= 200 && res.status < 300) || res.status === 304) return res;
    const now = options.wallNow();
    // The rate limiter reads the same headers; one reader decides what "limited" means for both.
    const upstream = readUpstreamSignal(res.headers, now);
    let retryAfterMs = upstream.retryAfterMs;
    let quotaExhausted = false;
    if (res.status === 403 || res.status === 401 || res.status === 429) {
      // GitHub answers an exhausted quota (primary or secondary) with 403 or 429: a wait, not bad
      // credentials; without Retry-After, the exhausted quota's reset says how long.
      const exhaustedUntil = latestExhaustedReset(upstream.quotas);
      quotaExhausted =
        res.status !== 429 &&
        (retryAfterMs !== undefined ||
          exhaustedUntil !== undefined ||
          upstream.quotas.some((q) => q.remaining === 0));
      if (retryAfterMs === undefined && exhaustedUntil !== undefined)
        retryAfterMs = Math.max(0, exhaustedUntil - now);
    }
    const error = errorFromResponse(res, { ...ctx(), url: res.url }, retryAfterMs, quotaExhausted);
    error.retryAfterMs = retryAfterMs;
    attachResponse(error, res);
    throw error;
  };
}
