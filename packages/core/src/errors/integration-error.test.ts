import { describe, expect, it } from 'vitest';
import { HTTP_STATUS_BY_TYPE } from './error-types.js';
import {
  CircuitOpenError,
  IntegrationAuthError,
  IntegrationDisabled,
  IntegrationError,
  IntegrationNotConfigured,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  IntegrationTimeoutError,
  isErrorType,
  isIntegrationError,
} from './integration-error.js';

describe('IntegrationError family', () => {
  it('has the seed hierarchy, with timeouts and open circuits temporary', () => {
    const all = [
      new IntegrationDisabled('d'),
      new IntegrationNotConfigured('n'),
      new IntegrationAuthError('a'),
      new IntegrationRateLimited('r', { retryAfter: 3 }),
      new IntegrationTemporaryError('t'),
      new IntegrationPermanentError('p'),
      new IntegrationTimeoutError('o'),
      new CircuitOpenError('c'),
    ];
    for (const e of all) expect(e).toBeInstanceOf(IntegrationError);
    expect(new IntegrationTimeoutError('x')).toBeInstanceOf(IntegrationTemporaryError);
    expect(new CircuitOpenError('x')).toBeInstanceOf(IntegrationTemporaryError);
    expect(all.map((e) => [e.type, e.retryable, e.httpStatus])).toEqual([
      ['IntegrationDisabled', false, 409],
      ['IntegrationNotConfigured', false, 409],
      ['IntegrationAuthError', false, 502],
      ['IntegrationRateLimited', true, 429],
      ['IntegrationTemporaryError', true, 503],
      ['IntegrationPermanentError', false, 502],
      ['IntegrationTimeoutError', true, 504],
      ['CircuitOpenError', true, 503],
    ]);
    expect(Object.keys(HTTP_STATUS_BY_TYPE)).toHaveLength(10);
  });

  it('serialises to the wire shape of DESIGN.md', () => {
    const e = new IntegrationRateLimited('Rate limited', {
      integration: 'github',
      operation: 'search_repositories',
      retryAfter: 12,
      status: 429,
      body: 'not on the wire',
    });
    expect(e.toJSON()).toEqual({
      type: 'IntegrationRateLimited',
      message: 'Rate limited',
      retryable: true,
      retryAfter: 12,
      status: 429,
      integration: 'github',
      operation: 'search_repositories',
    });
    expect(e.name).toBe('IntegrationRateLimited');
    expect(e.retryAfterMs).toBe(12_000);
  });

  it('is recognised across package copies by its brand, not only instanceof', () => {
    const foreign = Object.assign(Object.create(null), {
      [Symbol.for('patchbay.IntegrationError')]: true,
      type: 'IntegrationAuthError',
    });
    expect(isIntegrationError(foreign)).toBe(true);
    expect(isErrorType(foreign, 'IntegrationAuthError')).toBe(true);
    expect(isIntegrationError(new Error('plain'))).toBe(false);
    expect(isIntegrationError(null)).toBe(false);
  });
});
