/**
 * Time as the policies see it. Unit tests pass a fake one and drive waits by hand; production
 * uses {@link systemClock}.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Milliseconds since the epoch, for HTTP dates. */
  wallNow(): number;
  /** Resolves after `ms`, or rejects with the signal's reason the moment it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep: abortableSleep,
};

/**
 * A sleep that an abort ends at once (cockatiel's ignores its signal). Never resolves early:
 * timers may fire a hair before `ms` by the monotonic clock, so a short remainder is re-slept.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const due = performance.now() + ms;
    let timer: NodeJS.Timeout;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const arm = (wait: number) => {
      timer = setTimeout(() => {
        const left = due - performance.now();
        if (left > 0) return arm(Math.ceil(left));
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm(ms);
  });
}
