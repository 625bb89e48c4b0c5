/**
 * The shared breaker's layout in a StateStore. Under `prefix` (by default
 * `patchbay:<name>:breaker:`):
 *
 * - `state`: the record below, JSON, written only by compareAndSet so concurrent processes cannot
 *   undo each other's transitions. Absent means closed, generation 0.
 * - `w:<gen>:<slot>`: one counter per time slot of the window (`slot = floor(storeTime /
 *   (windowMs / 10))`), bumped with `increment` and expiring after the window. Calls and failures
 *   share the counter ({@link FAILURE_UNIT}), so recording a failure is one command. The
 *   generation in the key makes a new closed phase start from an empty window without deleting.
 * - `probe:<gen>:<i>`: half-open probe leases, `i < halfOpenMaxProbes`, taken with `acquireLock`
 *   for `recoveryTimeout` and released when the probe settles. A probe that hangs loses its lease
 *   when the lock expires, and a fresh probe may go.
 *
 * Times in the record are the store's clock (epoch ms), so processes agree on them.
 */
export interface SharedRecord {
  /** `open` covers half-open too: half-open is "open, and recoveryTimeout has passed". */
  readonly phase: 'closed' | 'open';
  /** Bumped by every open and close. */
  readonly gen: number;
  /** Store time the breaker opened at; 0 when closed. */
  readonly openedAt: number;
  /** Successful probes so far in this open phase. */
  readonly probeSuccesses: number;
}

export const INITIAL_RECORD: SharedRecord = { phase: 'closed', gen: 0, openedAt: 0, probeSuccesses: 0 };

/**
 * A failure adds `1 + FAILURE_UNIT` to its slot's counter, a success adds 1: the counter holds
 * `calls + failures * 2^24`. Exact up to 16.7 million calls per slot (a tenth of the window),
 * and the largest value (2^48) stays far inside a double and Redis's HINCRBYFLOAT.
 */
export const FAILURE_UNIT = 2 ** 24;

export function unpackCounter(value: number): { calls: number; failures: number } {
  return { calls: value % FAILURE_UNIT, failures: Math.floor(value / FAILURE_UNIT) };
}

export interface BreakerKeys {
  readonly state: string;
  slot(gen: number, slot: number): string;
  probe(gen: number, lease: number): string;
}

export function breakerKeys(prefix: string): BreakerKeys {
  return {
    state: `${prefix}state`,
    slot: (gen, slot) => `${prefix}w:${gen}:${slot}`,
    probe: (gen, lease) => `${prefix}probe:${gen}:${lease}`,
  };
}

/**
 * The transitions, pure. Each takes the record as just read and returns the one to write, or
 * `undefined` when the record is no longer in the phase (`gen`) the caller saw: someone else
 * moved it on, and there is nothing left to do.
 */
export const nextRecord = {
  /** A closed phase tripped, or a half-open probe failed: open (again) from `now`. */
  open(
    record: SharedRecord,
    from: SharedRecord['phase'],
    gen: number,
    now: number,
  ): SharedRecord | undefined {
    if (record.phase !== from || record.gen !== gen) return undefined;
    return { phase: 'open', gen: gen + 1, openedAt: now, probeSuccesses: 0 };
  },
  /** A probe succeeded: count it, and close once `successThreshold` have. */
  probeSucceeded(record: SharedRecord, gen: number, successThreshold: number): SharedRecord | undefined {
    if (record.phase !== 'open' || record.gen !== gen) return undefined;
    const probeSuccesses = record.probeSuccesses + 1;
    if (probeSuccesses < successThreshold) return { ...record, probeSuccesses };
    return { phase: 'closed', gen: gen + 1, openedAt: 0, probeSuccesses: 0 };
  },
  /** `reset()`: closed, whatever it was. */
  reset(record: SharedRecord): SharedRecord {
    return { phase: 'closed', gen: record.gen + 1, openedAt: 0, probeSuccesses: 0 };
  },
};

export function encodeRecord(record: SharedRecord): string {
  return JSON.stringify(record);
}

/** Reads a stored record; anything unreadable counts as the initial (closed) record. */
export function decodeRecord(value: string | undefined): SharedRecord {
  if (value === undefined) return INITIAL_RECORD;
  try {
    const parsed = JSON.parse(value) as Partial<SharedRecord>;
    const phase = parsed.phase === 'open' ? 'open' : 'closed';
    return {
      phase,
      gen: finiteOr(parsed.gen, 0),
      openedAt: finiteOr(parsed.openedAt, 0),
      probeSuccesses: finiteOr(parsed.probeSuccesses, 0),
    };
  } catch {
    return INITIAL_RECORD;
  }
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
