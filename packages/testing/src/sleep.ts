import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms` milliseconds; rejects with the signal's reason as soon as it aborts (the upstream closed). */
export async function sleep(ms: number | undefined, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms === undefined || ms <= 0) return;
  await delay(ms, undefined, { signal });
}
