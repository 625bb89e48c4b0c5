import { attachedResponse, attachResponse } from '../errors/attached-response.js';
import {
  type IntegrationError,
  IntegrationRateLimited,
  IntegrationTimeoutError,
  isIntegrationError,
} from '../errors/integration-error.js';
import type { PreparedRequest } from '../http/types.js';
import { backoffDelay } from './backoff.js';
import type { Clock } from './clock.js';
import type { CallContext, Policy } from './pipeline.js';
import type { RetryBudget } from './retry-budget.js';
import type { ResolvedRetryOptions } from './retry-options.js';

/** Why a failed attempt was not retried; also the `reason` label of the retries metric. */
export type NoRetryReason =
  | 'not_retryable'
  | 'status_not_retried'
  | 'timeout_not_retried'
  | 'attempts_exhausted'
  | 'not_idempotent'
  | 'deadline'
  | 'retry_after_too_long'
  | 'budget_exhausted';

export type RetryDecision =
  | { retry: true; delayMs: number; serverAsked: boolean }
  | { retry: false; reason: NoRetryReason; error: IntegrationError };

/** Told about every decision, so logs and metrics can explain each retry and each refusal. */
export interface RetryObserver {
  onRetry(
    error: IntegrationError,
    req: PreparedRequest,
    call: CallContext,
    delayMs: number,
    maxAttempts: number,
  ): void;
  onGiveUp(error: IntegrationError, req: PreparedRequest, call: CallContext, reason: NoRetryReason): void;
}

const NON_IDEMPOTENT = new Set(['POST', 'PATCH']);

export interface RetryPolicyOptions {
  clock: Clock;
  budget: RetryBudget | undefined;
  observer: RetryObserver;
  random?: () => number;
  /** Aborted when the client closes: a call waiting to retry gives up with its last error. */
  lifetime?: AbortSignal;
}

/**
 * Decides whether the failed attempt number `attempt` (1-based) is retried, and after how long.
 * Pure apart from the budget withdrawal, which is the last check so a refused retry costs none.
 */
export function decideRetry(
  error: IntegrationError,
  req: PreparedRequest,
  call: CallContext,
  options: ResolvedRetryOptions,
  deps: { clock: Clock; budget: RetryBudget | undefined; random: () => number; previousDelay: number },
): RetryDecision {
  const stop = (reason: NoRetryReason, replacement: IntegrationError = error): RetryDecision => ({
    retry: false,
    reason,
    error: replacement,
  });
  if (!error.retryable) return stop('not_retryable');
  // A rate-limit answer is retried whatever its status (GitHub uses 403), after the wait it names.
  if (
    error.status !== undefined &&
    !options.retryStatusCodes.includes(error.status) &&
    !(error instanceof IntegrationRateLimited)
  ) {
    return stop('status_not_retried');
  }
  if (error instanceof IntegrationTimeoutError && !options.retryOnTimeout) return stop('timeout_not_retried');
  if (call.attempt > options.maxRetries) return stop('attempts_exhausted');
  // A rate-limit answer is a refusal: the server did not apply the write, so sending it again
  // after the wait cannot apply it twice.
  if (
    NON_IDEMPOTENT.has(req.method) &&
    req.idempotencyKey === undefined &&
    error.requestSent !== false &&
    !(error instanceof IntegrationRateLimited) &&
    !options.retryNonIdempotent
  ) {
    return stop('not_idempotent');
  }

  const left = call.deadlineAt - deps.clock.now();
  const asked = error.retryAfterMs;
  let delayMs: number;
  if (asked !== undefined) {
    // The server's wait is used exactly: never earlier, never jittered.
    if (asked > options.maxRetryAfter || asked > left) {
      const limit =
        asked > options.maxRetryAfter ? `the ${options.maxRetryAfter / 1000}s cap` : 'the deadline';
      return stop('retry_after_too_long', tooLongToWait(error, asked, limit));
    }
    delayMs = asked;
  } else {
    delayMs = backoffDelay(options, call.attempt - 1, deps.previousDelay, deps.random);
    if (delayMs >= left) return stop('deadline');
  }
  if (deps.budget && !deps.budget.tryRetry()) return stop('budget_exhausted');
  return { retry: true, delayMs, serverAsked: asked !== undefined };
}

function tooLongToWait(error: IntegrationError, waitMs: number, limit: string): IntegrationError {
  const seconds = Math.ceil(waitMs / 1000);
  if (error instanceof IntegrationRateLimited) return error;
  const limited = new IntegrationRateLimited(
    `Upstream asked to wait ${seconds}s (HTTP ${error.status ?? '?'}), beyond ${limit}: ${error.message}`,
    {
      integration: error.integration,
      operation: error.operation,
      status: error.status,
      retryAfter: seconds,
      retryAfterMs: waitMs,
      code: 'RETRY_AFTER_TOO_LONG',
      method: error.method,
      url: error.url,
      body: error.body,
      requestSent: error.requestSent,
    },
  );
  const response = attachedResponse(error);
  if (response) attachResponse(limited, response);
  return limited;
}

/**
 * Retries failed attempts per {@link decideRetry}, sleeping on the call's clock. Each attempt
 * gets a fresh copy of the request, since auth and signing write into it.
 */
export function retryPolicy(options: ResolvedRetryOptions, deps: RetryPolicyOptions): Policy {
  const random = deps.random ?? Math.random;
  return (next) => async (req, call) => {
    deps.budget?.recordRequest();
    let previousDelay = options.initialDelay;
    for (let attempt = 1; ; attempt++) {
      call.attempt = attempt;
      try {
        return await next(copyRequest(req), call);
      } catch (thrown) {
        if (!isIntegrationError(thrown)) throw thrown;
        thrown.attempts = attempt;
        const decision = decideRetry(thrown, req, call, options, {
          clock: deps.clock,
          budget: deps.budget,
          random,
          previousDelay,
        });
        if (!decision.retry) {
          decision.error.attempts = attempt;
          deps.observer.onGiveUp(decision.error, req, call, decision.reason);
          throw decision.error;
        }
        deps.observer.onRetry(thrown, req, call, decision.delayMs, options.maxRetries + 1);
        if (!decision.serverAsked) previousDelay = decision.delayMs;
        await sleepOrGiveUp(deps, decision.delayMs, call, thrown);
      }
    }
  };
}

async function sleepOrGiveUp(
  deps: RetryPolicyOptions,
  delayMs: number,
  call: CallContext,
  lastError: IntegrationError,
): Promise<void> {
  const lifetime = deps.lifetime;
  if (!lifetime) return deps.clock.sleep(delayMs, call.signal);
  if (lifetime.aborted) throw lastError;
  const callSignal = call.signal;
  if (!callSignal) return sleepUnlessClosed(deps, delayMs, lifetime, lastError);
  // Linked by hand, listeners removed after the wait: AbortSignal.any on Node 20 keeps every
  // combined signal alive for as long as the client's lifetime signal lives (a slow leak).
  const both = new AbortController();
  const onCall = () => both.abort(callSignal.reason);
  const onClose = () => both.abort(lifetime.reason);
  callSignal.addEventListener('abort', onCall, { once: true });
  lifetime.addEventListener('abort', onClose, { once: true });
  try {
    await deps.clock.sleep(delayMs, both.signal);
  } catch (reason) {
    // Closing the client ends the wait with the error the call already had, not a new one.
    if (lifetime.aborted && !callSignal.aborted) throw lastError;
    throw reason;
  } finally {
    callSignal.removeEventListener('abort', onCall);
    lifetime.removeEventListener('abort', onClose);
  }
}

async function sleepUnlessClosed(
  deps: RetryPolicyOptions,
  delayMs: number,
  lifetime: AbortSignal,
  lastError: IntegrationError,
): Promise<void> {
  try {
    await deps.clock.sleep(delayMs, lifetime);
  } catch {
    throw lastError;
  }
}

function copyRequest(req: PreparedRequest): PreparedRequest {
  return { ...req, headers: { ...req.headers } };
}
