import {
  IntegrationAuthError,
  IntegrationPermanentError,
  IntegrationRateLimited,
  IntegrationTemporaryError,
  IntegrationTimeoutError,
} from '../../errors/integration-error.js';
import { MemoryStore } from '../../state/memory-store.js';
import type { StateStore } from '../../state/state-store.js';
import type { Clock } from '../clock.js';
import type { CircuitState, StateChangeReason } from './breaker-core.js';
import { type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.js';

/** Helpers for the breaker's unit tests (not part of the public surface). */

/** A clock that only moves when told; sleeps are not used by the breaker. */
export function fakeClock() {
  let now = 1_000;
  const clock: Clock = {
    now: () => now,
    wallNow: () => 1_700_000_000_000 + now,
    sleep: async () => {},
  };
  return {
    clock,
    advance(ms: number) {
      now += ms;
    },
  };
}

export type Mode = 'in-process' | 'store protocol';

/** A breaker in either strategy, recording its transitions. The store one re-reads on every call. */
export function makeBreaker(
  mode: Mode,
  time = fakeClock(),
  options: Partial<CircuitBreakerOptions> = {},
  store: StateStore = new MemoryStore(() => time.clock.wallNow()),
) {
  const transitions: [CircuitState, CircuitState, StateChangeReason][] = [];
  const breaker = createCircuitBreaker({
    name: 'payments',
    clock: time.clock,
    syncIntervalMs: 0,
    ...(mode === 'store protocol' ? { store, forceStoreProtocol: true } : {}),
    ...options,
    onStateChange: (from, to, reason, detail) => {
      transitions.push([from, to, reason]);
      options.onStateChange?.(from, to, reason, detail);
    },
  });
  return { breaker, transitions, time, store };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = string>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const at = { integration: 'payments', operation: 'charge' };
export const errors = {
  server: (status = 503) => new IntegrationTemporaryError(`HTTP ${status}`, { ...at, status }),
  refused: () => new IntegrationTemporaryError('refused', { ...at, code: 'CONNECTION_REFUSED' }),
  timeout: () => new IntegrationTimeoutError('timed out', { ...at, code: 'HEADERS_TIMEOUT' }),
  notFound: () => new IntegrationPermanentError('HTTP 404', { ...at, status: 404 }),
  badRequest: () => new IntegrationPermanentError('HTTP 400', { ...at, status: 400 }),
  auth: (status = 401) => new IntegrationAuthError(`HTTP ${status}`, { ...at, status }),
  rateLimited: () => new IntegrationRateLimited('HTTP 429', { ...at, status: 429, retryAfter: 5 }),
};

/** Runs `fn` through the breaker and returns what came out, thrown or not. */
export async function outcome<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise;
  } catch (error) {
    return error as Error;
  }
}
