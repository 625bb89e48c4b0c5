import { logSink } from '@patchbay/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CircuitOpenError, type IntegrationError, isErrorType } from '../../errors/integration-error.js';
import { deferred, errors, fakeClock, type Mode, makeBreaker, outcome } from './breaker-test-kit.js';
import type { CircuitBreaker } from './circuit-breaker.js';

const ok = () => Promise.resolve('ok');

async function fail(breaker: CircuitBreaker, error: Error = errors.server(), times = 1) {
  for (let i = 0; i < times; i++) await outcome(breaker.execute(() => Promise.reject(error)));
}

async function succeed(breaker: CircuitBreaker, times = 1) {
  for (let i = 0; i < times; i++) await breaker.execute(ok);
}

/** Opens the breaker with the defaults: 10 calls in the window, all failing. */
async function trip(breaker: CircuitBreaker) {
  await fail(breaker, errors.server(), 10);
  expect(breaker.state).toBe('open');
}

describe.each<Mode>(['in-process', 'store protocol'])('circuit breaker (%s)', (mode) => {
  it('opens only once the window holds minimumCalls, failureThreshold failures and the failure rate', async () => {
    const { breaker, transitions } = makeBreaker(mode);
    await fail(breaker, errors.server(), 9);
    expect(breaker.state).toBe('closed'); // 9 failures, but only 9 calls (< minimumCalls 10)
    await fail(breaker);
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([['closed', 'open', 'failure_threshold']]);
    expect(breaker.opens).toBe(1);
  });

  it('opens after failureThreshold failures once minimumCalls is met, not before', async () => {
    const { breaker } = makeBreaker(mode, fakeClock(), { failureRateThreshold: 0 });
    await succeed(breaker, 6);
    await fail(breaker, errors.server(), 4);
    expect(breaker.state).toBe('closed'); // 10 calls, 4 failures < 5
    await fail(breaker);
    expect(breaker.state).toBe('open'); // 11 calls, 5 failures
  });

  it('keeps a healthy high-traffic upstream closed: 5 failures among 20 calls is below the 50% rate', async () => {
    const { breaker } = makeBreaker(mode, fakeClock(), { failureRateThreshold: 0.5 });
    await succeed(breaker, 15);
    await fail(breaker, errors.server(), 5);
    expect(breaker.state).toBe('closed');
    await fail(breaker, errors.server(), 10); // now 15 of 30
    expect(breaker.state).toBe('open');
  });

  it('fails fast while open, without calling fn, with retryAfter until the next probe', async () => {
    const { breaker, time } = makeBreaker(mode);
    await trip(breaker);
    time.advance(15_000);
    let called = 0;
    const error = await outcome(
      breaker.execute(
        () => {
          called++;
          return ok();
        },
        undefined,
        { operation: 'charge' },
      ),
    );
    expect(called).toBe(0);
    expect(error).toBeInstanceOf(CircuitOpenError);
    const open = error as IntegrationError;
    expect(isErrorType(open, 'CircuitOpenError')).toBe(true);
    expect(open.retryAfter).toBe(45);
    expect(open.retryAfterMs).toBe(45_000);
    expect(open.integration).toBe('payments');
    expect(open.operation).toBe('charge');
    expect(open.retryable).toBe(true);
    expect(open.requestSent).toBe(false);
    expect(open.httpStatus).toBe(503);
  });

  it('half-open lets exactly halfOpenMaxProbes probes through at once and rejects the rest at once', async () => {
    const { breaker, time, transitions } = makeBreaker(mode, fakeClock(), { halfOpenMaxProbes: 2 });
    await trip(breaker);
    time.advance(60_000);
    expect(breaker.state).toBe('half_open');
    const probes = [deferred(), deferred()];
    let started = 0;
    const running = probes.map((probe) =>
      breaker.execute(() => {
        started++;
        return probe.promise;
      }),
    );
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    let extra = 0;
    const rejected = await Promise.all(
      Array.from({ length: 5 }, () =>
        outcome(
          breaker.execute(() => {
            extra++;
            return ok();
          }),
        ),
      ),
    );
    expect(extra).toBe(0);
    expect(rejected.every((e) => e instanceof CircuitOpenError)).toBe(true);
    expect(transitions.at(-1)).toEqual(['open', 'half_open', 'recovery_timeout']);
    for (const probe of probes) probe.resolve('fine');
    expect(await Promise.all(running)).toEqual(['fine', 'fine']);
    expect(breaker.state).toBe('closed'); // successThreshold 2 met by the two probes
  });

  it('allows a fresh probe when a probe hangs past recoveryTimeout, so it cannot stick half-open', async () => {
    const { breaker, time } = makeBreaker(mode, fakeClock(), { successThreshold: 1 });
    await trip(breaker);
    time.advance(60_000);
    const hanging = deferred();
    const first = breaker.execute(() => hanging.promise);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await outcome(breaker.execute(ok))).toBeInstanceOf(CircuitOpenError);
    time.advance(59_999);
    expect(await outcome(breaker.execute(ok))).toBeInstanceOf(CircuitOpenError);
    time.advance(1);
    expect(await breaker.execute(ok)).toBe('ok'); // the fresh probe, while the first still hangs
    expect(breaker.state).toBe('closed');
    hanging.resolve('late');
    expect(await first).toBe('late');
    expect(breaker.state).toBe('closed');
  });

  it('closes after successThreshold probe successes, one probe at a time', async () => {
    const { breaker, time, transitions } = makeBreaker(mode, fakeClock(), { successThreshold: 3 });
    await trip(breaker);
    time.advance(60_000);
    await succeed(breaker, 2);
    expect(breaker.state).toBe('half_open');
    await succeed(breaker);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual([
      ['closed', 'open', 'failure_threshold'],
      ['open', 'half_open', 'recovery_timeout'],
      ['half_open', 'closed', 'probes_succeeded'],
    ]);
    // The window starts empty: one more failure does not re-open it.
    await fail(breaker);
    expect(breaker.state).toBe('closed');
  });

  it('re-opens on a probe failure, for a whole recoveryTimeout more', async () => {
    const { breaker, time, transitions } = makeBreaker(mode);
    await trip(breaker);
    time.advance(60_000);
    await succeed(breaker); // 1 of 2
    await fail(breaker, errors.refused());
    expect(breaker.state).toBe('open');
    expect(breaker.opens).toBe(2);
    expect(transitions.at(-1)).toEqual(['half_open', 'open', 'probe_failed']);
    const error = (await outcome(breaker.execute(ok))) as IntegrationError;
    expect(error.retryAfter).toBe(60);
    time.advance(60_000);
    await succeed(breaker, 1);
    expect(breaker.state).toBe('half_open'); // the success before the re-open no longer counts
    await succeed(breaker, 1);
    expect(breaker.state).toBe('closed');
  });

  it('does not count 4xx, auth errors or rate limiting, and rethrows them untouched', async () => {
    const { breaker } = makeBreaker(mode);
    for (const make of [
      errors.notFound,
      errors.badRequest,
      errors.auth,
      () => errors.auth(403),
      errors.rateLimited,
    ]) {
      const error = make();
      for (let i = 0; i < 5; i++)
        expect(await outcome(breaker.execute(() => Promise.reject(error)))).toBe(error);
    }
    expect(breaker.state).toBe('closed');
    // They do count as calls: 25 answered calls dilute 5 failures to 17%.
    await fail(breaker, errors.server(), 5);
    expect(breaker.state).toBe('closed');
  });

  it('counts timeouts and connection failures, and timeouts only when countTimeoutsAsFailures', async () => {
    const counted = makeBreaker(mode);
    await fail(counted.breaker, errors.timeout(), 5);
    await fail(counted.breaker, errors.refused(), 5);
    expect(counted.breaker.state).toBe('open');
    const ignored = makeBreaker(mode, fakeClock(), { countTimeoutsAsFailures: false });
    await fail(ignored.breaker, errors.timeout(), 20);
    expect(ignored.breaker.state).toBe('closed');
  });

  it('uses isFailure when given, instead of the default rule', async () => {
    const { breaker } = makeBreaker(mode, fakeClock(), {
      isFailure: (error) => (error as IntegrationError).status === 404,
    });
    await fail(breaker, errors.server(), 10);
    expect(breaker.state).toBe('closed');
    await fail(breaker, errors.notFound(), 10);
    expect(breaker.state).toBe('open');
  });

  it('forgets failures that left the window', async () => {
    const countOnly = { failureRateThreshold: 0 };
    const { breaker, time } = makeBreaker(mode, fakeClock(), countOnly);
    await succeed(breaker, 5);
    await fail(breaker, errors.server(), 4);
    time.advance(60_000); // the whole window has passed
    await succeed(breaker, 9);
    await fail(breaker);
    expect(breaker.state).toBe('closed'); // 10 calls in the window, 1 failure, not 5
    const control = makeBreaker(mode, fakeClock(), countOnly);
    await succeed(control.breaker, 5);
    await fail(control.breaker, errors.server(), 4);
    await succeed(control.breaker, 9);
    await fail(control.breaker);
    expect(control.breaker.state).toBe('open'); // same calls, no time passed: 5 failures
  });

  it("does not count a caller's abort, and an aborted probe frees its lease", async () => {
    const { breaker, time } = makeBreaker(mode, fakeClock(), { successThreshold: 1 });
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) {
      await outcome(
        breaker.execute(() => {
          const reason = new DOMException('aborted', 'AbortError');
          return Promise.reject(reason);
        }, controller.signal),
      );
    }
    expect(breaker.state).toBe('closed');
    await trip(breaker);
    time.advance(60_000);
    const probe = new AbortController();
    const hanging = deferred();
    const aborted = outcome(breaker.execute(() => hanging.promise, probe.signal));
    await new Promise((resolve) => setImmediate(resolve));
    probe.abort();
    hanging.reject(probe.signal.reason);
    await aborted;
    expect(breaker.state).toBe('half_open');
    expect(await breaker.execute(ok)).toBe('ok'); // the next caller may probe at once
    expect(breaker.state).toBe('closed');
  });

  it('rejects at once with the signal reason when the caller already aborted', async () => {
    const { breaker } = makeBreaker(mode);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    let called = 0;
    const error = await outcome(breaker.execute(() => ok().then(() => called++), controller.signal));
    expect((error as Error).message).toBe('gone');
    expect(called).toBe(0);
  });

  it('reset closes an open breaker and empties the window', async () => {
    const { breaker, transitions } = makeBreaker(mode);
    await trip(breaker);
    await breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(await breaker.execute(ok)).toBe('ok');
    await fail(breaker, errors.server(), 8); // 9 calls: had the 10 old failures stayed, it would open
    expect(breaker.state).toBe('closed');
    expect(transitions.at(-1)).toEqual(['open', 'closed', 'reset']);
  });

  it('ignores the late result of a call admitted before the breaker opened', async () => {
    const { breaker, time } = makeBreaker(mode, fakeClock(), { successThreshold: 1 });
    const slow = deferred();
    const inFlight = outcome(breaker.execute(() => slow.promise));
    await new Promise((resolve) => setImmediate(resolve));
    await trip(breaker);
    slow.resolve('late');
    await inFlight;
    expect(breaker.state).toBe('open'); // a success from the closed phase is not a probe
    time.advance(60_000);
    expect(breaker.state).toBe('half_open');
  });
  it('ignores a hung probe that succeeds after a later probe re-opened the breaker', async () => {
    const { breaker, time } = makeBreaker(mode, fakeClock(), { successThreshold: 1 });
    await trip(breaker);
    time.advance(60_000);
    const hanging = deferred();
    const stale = breaker.execute(() => hanging.promise);
    await new Promise((resolve) => setImmediate(resolve));
    time.advance(60_000);
    await fail(breaker, errors.server()); // the fresh probe fails: open again
    expect(breaker.state).toBe('open');
    hanging.resolve('late');
    expect(await stale).toBe('late');
    expect(breaker.state).toBe('open'); // the old probe's success belongs to the previous phase
  });
});

describe('circuit breaker: logs and listeners', () => {
  it('logs warn on open and info on half-open and close, without error messages', async () => {
    const sink = logSink();
    const time = fakeClock();
    const { breaker } = makeBreaker('in-process', time, {
      logger: pino({ level: 'info' }, sink),
      successThreshold: 1,
    });
    const secretish = errors.server();
    secretish.message = 'body: token=hunter2';
    await fail(breaker, secretish, 10);
    time.advance(60_000);
    await breaker.execute(ok);
    const records = sink.records();
    expect(records.map((r) => [r.level, r.from, r.to, r.reason])).toEqual([
      [40, 'closed', 'open', 'failure_threshold'],
      [30, 'open', 'half_open', 'recovery_timeout'],
      [30, 'half_open', 'closed', 'probes_succeeded'],
    ]);
    expect(records[0]?.msg).toBe(
      'Circuit breaker payments opened: 10 of 10 calls in the window failed; next probe in 60s',
    );
    expect(records[0]).toMatchObject({ breaker: 'payments', failures: 10, calls: 10 });
    expect(sink.text()).not.toContain('hunter2');
  });

  it('survives a listener that throws', async () => {
    const sink = logSink();
    const time = fakeClock();
    const { breaker } = makeBreaker('in-process', time, { logger: pino({ level: 'info' }, sink) });
    const throwing = makeBreaker('in-process', time, {
      logger: pino({ level: 'info' }, sink),
      onStateChange: () => {
        throw new Error('listener bug');
      },
    });
    await trip(breaker);
    await fail(throwing.breaker, errors.server(), 10);
    expect(throwing.breaker.state).toBe('open');
    expect(sink.text()).toContain('onStateChange listener threw');
  });

  it('rejects bad options, naming the field', () => {
    expect(() => makeBreaker('in-process', fakeClock(), { failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => makeBreaker('in-process', fakeClock(), { failureRateThreshold: 2 })).toThrow(
      /failureRateThreshold/,
    );
    expect(() => makeBreaker('in-process', fakeClock(), { windowMs: 0 })).toThrow(/windowMs/);
    expect(() => makeBreaker('in-process', fakeClock(), { halfOpenMaxProbes: 1.5 })).toThrow(
      /halfOpenMaxProbes/,
    );
    expect(() => makeBreaker('in-process', fakeClock(), { name: '' })).toThrow(/name/);
  });
});
