import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  IntegrationNotConfigured,
  IntegrationPermanentError,
  IntegrationRateLimited,
} from '../../errors/integration-error.js';
import { errors } from './breaker-test-kit.js';
import { defaultIsFailure, isAbort } from './is-failure.js';

describe('defaultIsFailure', () => {
  it.each([
    ['HTTP 500', errors.server(500), true],
    ['HTTP 502', errors.server(502), true],
    ['HTTP 503', errors.server(503), true],
    ['HTTP 504', errors.server(504), true],
    ['HTTP 408 (not in the list)', errors.server(408), false],
    ['connection refused (no status)', errors.refused(), true],
    ['timeout', errors.timeout(), true],
    ['HTTP 404', errors.notFound(), false],
    ['HTTP 400', errors.badRequest(), false],
    ['HTTP 401', errors.auth(401), false],
    ['HTTP 403', errors.auth(403), false],
    ['HTTP 429', errors.rateLimited(), false],
    ['a 503 whose Retry-After was too long to wait', new IntegrationRateLimited('x', { status: 503 }), true],
    ['another breaker open', new CircuitOpenError('open', { retryAfter: 3 }), false],
    ['not configured', new IntegrationNotConfigured('x'), false],
    ['response too large (status 200)', new IntegrationPermanentError('x', { status: 200 }), false],
    ['a plain Error from any function', new Error('boom'), true],
    ['an AbortError', new DOMException('stop', 'AbortError'), false],
    ['a TimeoutError', new DOMException('slow', 'TimeoutError'), true],
  ])('%s -> %s', (_name, error, expected) => {
    expect(defaultIsFailure(error)).toBe(expected);
  });

  it('follows failureStatusCodes and countTimeoutsAsFailures', () => {
    const config = { failureStatusCodes: [429, 500], countTimeoutsAsFailures: false };
    expect(defaultIsFailure(errors.rateLimited(), config)).toBe(true);
    expect(defaultIsFailure(errors.server(503), config)).toBe(false);
    expect(defaultIsFailure(errors.timeout(), config)).toBe(false);
    expect(defaultIsFailure(new DOMException('slow', 'TimeoutError'), config)).toBe(false);
  });
});

describe('isAbort', () => {
  it("is true for an aborted caller's signal whatever was thrown, and for AbortError", () => {
    const controller = new AbortController();
    controller.abort();
    expect(isAbort(errors.server(), controller.signal)).toBe(true);
    expect(isAbort(new DOMException('x', 'AbortError'), undefined)).toBe(true);
    expect(isAbort(errors.server(), new AbortController().signal)).toBe(false);
  });
});
