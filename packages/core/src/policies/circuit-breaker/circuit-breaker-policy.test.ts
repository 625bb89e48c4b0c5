import { describe, expect, it } from 'vitest';
import type { IntegrationError } from '../../errors/integration-error.js';
import type { PreparedRequest, RawResponse } from '../../http/types.js';
import type { CallContext, Handler } from '../pipeline.js';
import { errors, fakeClock, makeBreaker, outcome } from './breaker-test-kit.js';
import { circuitBreakerPolicy } from './circuit-breaker-policy.js';

const OK: RawResponse = { status: 200, headers: {}, body: Buffer.from('{}'), url: 'http://x/' };
const req: PreparedRequest = {
  method: 'GET',
  origin: 'http://x',
  path: '/',
  headers: {},
  operation: 'charge',
};
const call = (signal?: AbortSignal): CallContext => ({
  integration: 'stripe',
  operation: 'charge',
  signal,
  deadlineAt: Number.POSITIVE_INFINITY,
  totalTimeout: 0,
  attempt: 0,
});

describe('circuitBreakerPolicy', () => {
  it('passes calls to next while closed and stops them at the breaker when open', async () => {
    const { breaker } = makeBreaker('in-process', fakeClock(), { minimumCalls: 3, failureThreshold: 3 });
    let sent = 0;
    let answer: 'ok' | 'fail' = 'fail';
    const transport: Handler = async () => {
      sent++;
      if (answer === 'fail') throw errors.server(502);
      return OK;
    };
    const handler = circuitBreakerPolicy(breaker)(transport);
    for (let i = 0; i < 3; i++) await outcome(handler(req, call()));
    expect(sent).toBe(3);
    answer = 'ok';
    const error = (await outcome(handler(req, call()))) as IntegrationError;
    expect(sent).toBe(3);
    expect(error.type).toBe('CircuitOpenError');
    expect(error.integration).toBe('stripe');
    expect(error.operation).toBe('charge');
  });

  it("does not count a call the caller aborted (the call's signal, not the attempt's)", async () => {
    const { breaker } = makeBreaker('in-process', fakeClock(), { minimumCalls: 1, failureThreshold: 1 });
    const controller = new AbortController();
    const transport: Handler = async () => {
      controller.abort();
      throw controller.signal.reason;
    };
    await outcome(circuitBreakerPolicy(breaker)(transport)(req, call(controller.signal)));
    expect(breaker.state).toBe('closed');
  });
});
