import { logSink } from '@patchbay/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CircuitOpenError } from '../../errors/integration-error.js';
import { MemoryStore } from '../../state/memory-store.js';
import type { StateStore } from '../../state/state-store.js';
import { deferred, errors, fakeClock, makeBreaker, outcome } from './breaker-test-kit.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { decodeRecord } from './store-record.js';

/** The shared-store protocol, driven over a MemoryStore as two "processes" would over Redis. */

const ok = () => Promise.resolve('ok');

async function fail(breaker: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i++) await outcome(breaker.execute(() => Promise.reject(errors.server())));
}

/** Wraps a store and counts the operations made on it. */
function counting(store: StateStore) {
  const ops: Record<string, number> = {};
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        ops[String(property)] = (ops[String(property)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  const total = () => Object.values(ops).reduce((a, b) => a + b, 0);
  return { store: proxy, ops, total };
}

function twoProcesses(options: Parameters<typeof makeBreaker>[2] = {}) {
  const time = fakeClock();
  const store = new MemoryStore(() => time.clock.wallNow());
  const a = makeBreaker('store protocol', time, options, store);
  const b = makeBreaker('store protocol', time, options, store);
  return { time, store, a, b };
}

describe('circuit breaker over a shared store', () => {
  it('failures through one process open the breaker for the other, which then calls nothing', async () => {
    const { a, b } = twoProcesses();
    await fail(a.breaker, 10);
    expect(a.breaker.state).toBe('open');
    let called = 0;
    const error = await outcome(b.breaker.execute(() => ok().then(() => called++)));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(0);
    expect(b.transitions).toEqual([['closed', 'open', 'shared']]);
    expect(a.transitions).toEqual([['closed', 'open', 'failure_threshold']]);
  });

  it('counts calls from every process in one window', async () => {
    const { time, a, b } = twoProcesses({ syncIntervalMs: 1_000, failureRateThreshold: 0 });
    for (let i = 0; i < 5; i++) await a.breaker.execute(ok);
    time.advance(1_000);
    await a.breaker.execute(ok); // flushes the batched successes: 6 calls stored
    await fail(b.breaker, 5);
    expect(b.breaker.state).toBe('open'); // 11 calls, 5 failures; B alone made only 5 calls
  });

  it('admits no more probes across processes than halfOpenMaxProbes', async () => {
    const { time, a, b } = twoProcesses();
    await fail(a.breaker, 10);
    time.advance(60_000);
    const hanging = deferred();
    const probe = a.breaker.execute(() => hanging.promise);
    await new Promise((resolve) => setImmediate(resolve));
    let called = 0;
    const error = await outcome(b.breaker.execute(() => ok().then(() => called++)));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(0);
    hanging.resolve('fine');
    await probe;
    expect(await b.breaker.execute(ok)).toBe('ok'); // second success, from the other process
    expect(await b.breaker.getState()).toBe('closed');
    expect(await a.breaker.getState()).toBe('closed');
  });

  it('opens once when two processes trip it at the same moment', async () => {
    const { store, a, b } = twoProcesses();
    await fail(a.breaker, 9);
    await Promise.all([fail(a.breaker, 1), fail(b.breaker, 1)]);
    const record = decodeRecord((await store.getVersioned('patchbay:payments:breaker:state'))?.value);
    expect(record).toMatchObject({ phase: 'open', gen: 1 });
    expect(a.breaker.opens + b.breaker.opens).toBe(2); // each saw it open once
    expect(
      [...a.transitions, ...b.transitions].filter(([, , reason]) => reason === 'failure_threshold'),
    ).toHaveLength(1);
  });

  it('costs no store operation per call while closed and fresh; re-reads once per syncIntervalMs', async () => {
    const time = fakeClock();
    const spy = counting(new MemoryStore(() => time.clock.wallNow()));
    const { breaker } = makeBreaker('store protocol', time, { syncIntervalMs: 1_000 }, spy.store);
    for (let i = 0; i < 1_000; i++) await breaker.execute(ok);
    // The first call reads the state and the store's clock; the successes wait in a batch.
    expect(spy.ops).toEqual({ getVersioned: 1, now: 1 });
    time.advance(1_000);
    for (let i = 0; i < 1_000; i++) await breaker.execute(ok);
    // One re-read, and one increment carrying the first second's 1000 successes.
    expect(spy.ops).toEqual({ getVersioned: 2, now: 1, increment: 1 });
  });

  it('sees another process open it within syncIntervalMs, not later', async () => {
    const { time, a, b } = twoProcesses({ syncIntervalMs: 1_000 });
    await b.breaker.execute(ok); // B's view is now fresh
    await fail(a.breaker, 10);
    time.advance(999);
    expect(await b.breaker.execute(ok)).toBe('ok'); // stale by design, for at most the interval
    time.advance(1);
    expect(await outcome(b.breaker.execute(ok))).toBeInstanceOf(CircuitOpenError);
  });

  it('lets calls through when the store fails, and says so once', async () => {
    const time = fakeClock();
    const broken = new Proxy(new MemoryStore(), {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || property === 'kind') return value;
        return () =>
          Promise.reject(Object.assign(new Error('redis://:pw@host down'), { code: 'ECONNREFUSED' }));
      },
    });
    const sink = logSink();
    const { breaker } = makeBreaker(
      'store protocol',
      time,
      { logger: pino({ level: 'info' }, sink) },
      broken,
    );
    let called = 0;
    for (let i = 0; i < 20; i++) {
      await outcome(
        breaker.execute(() => {
          called++;
          return Promise.reject(errors.server());
        }),
      );
    }
    expect(called).toBe(20);
    expect(breaker.state).toBe('closed');
    const warnings = sink.records().filter((r) => r.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ breaker: 'payments', error: 'ECONNREFUSED' });
    expect(sink.text()).not.toContain(':pw@');
  });

  it('keys the state under patchbay:<name>:breaker: or the keyPrefix given', async () => {
    const time = fakeClock();
    const store = new MemoryStore(() => time.clock.wallNow());
    const { breaker } = makeBreaker('store protocol', time, { keyPrefix: 'tenant-7:cb:' }, store);
    await fail(breaker, 10);
    expect(decodeRecord(await store.get('tenant-7:cb:state')).phase).toBe('open');
    expect(await store.get('patchbay:payments:breaker:state')).toBeUndefined();
  });
});
