import { Agent } from 'undici';
import { send } from '../../http/transport.js';
import type { HttpMethod, PreparedRequest, RawResponse } from '../../http/types.js';
import { attemptTimeoutPolicy } from '../../policies/attempt-timeout.js';
import { authPolicy } from '../../policies/auth-policy.js';
import { classifyPolicy } from '../../policies/classify-policy.js';
import { systemClock } from '../../policies/clock.js';
import { type CallContext, composePipeline, type Policy } from '../../policies/pipeline.js';
import { retryPolicy } from '../../policies/retry.js';
import { resolveRetryOptions } from '../../policies/retry-options.js';
import { Redactor } from '../../redact/redactor.js';
import type { AuthStrategy } from '../auth-strategy.js';

/**
 * For integration tests: the real pipeline (retry → auth → sign → timeout → classify → undici
 * transport) over loopback, built the way createClient builds it, with the auth stage and the
 * sign stage given by the test.
 */
export function testPipeline(options: {
  origin: string;
  auth?: Policy;
  authStrategy?: AuthStrategy;
  sign?: Policy;
}) {
  const dispatcher = new Agent({ connections: 16 });
  const redactor = new Redactor();
  const noAuth: Policy = (next) => next;
  const handler = composePipeline(
    {
      retry: retryPolicy(resolveRetryOptions({ maxRetries: 2, initialDelay: 10, jitter: false }), {
        clock: systemClock,
        budget: undefined,
        observer: { onRetry() {}, onGiveUp() {} },
      }),
      auth: options.auth ?? (options.authStrategy ? authPolicy(options.authStrategy) : noAuth),
      ...(options.sign ? { sign: options.sign } : {}),
      timeout: attemptTimeoutPolicy({ timeout: 5_000, clock: systemClock }),
      classify: classifyPolicy({
        redactor,
        timeouts: { connect: 5_000, headers: 5_000, body: 5_000 },
        wallNow: () => Date.now(),
      }),
    },
    (req, _call, signal) =>
      send(req, signal, {
        dispatcher,
        headersTimeout: 5_000,
        bodyTimeout: 5_000,
        maxResponseBytes: 1 << 20,
        maxRedirects: 0,
        isCredentialHeader: (h) => redactor.isSensitiveHeader(h),
        isCredentialParam: (p) => redactor.isSensitiveParam(p),
      }),
  );
  return {
    call(
      method: HttpMethod,
      path: string,
      body: Pick<PreparedRequest, 'json' | 'form' | 'body'> = {},
    ): Promise<RawResponse> {
      const req: PreparedRequest = {
        method,
        origin: options.origin,
        path,
        headers: {},
        operation: 'test',
        ...body,
      };
      const call: CallContext = {
        integration: 'test',
        operation: 'test',
        signal: undefined,
        deadlineAt: systemClock.now() + 10_000,
        totalTimeout: 10_000,
        attempt: 0,
      };
      return handler(req, call);
    },
    close: () => dispatcher.close(),
  };
}
