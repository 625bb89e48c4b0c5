import { attachResponse } from '../errors/attached-response.js';
import { type ErrorContext, errorFromResponse, errorFromThrown } from '../errors/classify.js';
import type { Redactor } from '../redact/redactor.js';
import type { Policy } from './pipeline.js';
import { parseRetryAfter } from './retry-after.js';

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
    if (res.status >= 200 && res.status < 300) return res;
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], options.wallNow());
    const error = errorFromResponse(res, { ...ctx(), url: res.url }, retryAfterMs);
    error.retryAfterMs = retryAfterMs;
    attachResponse(error, res);
    throw error;
  };
}
