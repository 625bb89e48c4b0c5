/** Which calls a fault applies to, and how many times. */
export interface FakeSlackFaultOptions {
  /** Only calls of this method (`'chat.postMessage'`); any method when absent. */
  method?: string;
  /**
   * How many matching calls get the fault.
   * @default 1
   */
  times?: number;
}

/** Options of `failNext`: where, how often, and the scope fields a `missing_scope` carries. */
export interface FakeSlackFailOptions extends FakeSlackFaultOptions {
  /** The scope(s) the method needs, comma-separated, as Slack sends with `missing_scope`. */
  needed?: string;
  /** The scopes the token has, comma-separated. */
  provided?: string;
}

export type QueuedFault =
  | { kind: 'rate_limit'; retryAfterSeconds: number; method?: string; remaining: number }
  | { kind: 'error'; error: string; needed?: string; provided?: string; method?: string; remaining: number };

/** Faults waiting for their calls, first queued first served. */
export class FaultQueue {
  #queue: QueuedFault[] = [];

  add(fault: QueuedFault): void {
    if (!Number.isInteger(fault.remaining) || fault.remaining < 1) {
      throw new RangeError(`times must be a positive integer, got ${fault.remaining}`);
    }
    this.#queue.push(fault);
  }

  /** The fault for a call of `method`, if one is queued for it; each use counts down. */
  take(method: string): QueuedFault | undefined {
    const fault = this.#queue.find((f) => f.method === undefined || f.method === method);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.#queue.splice(this.#queue.indexOf(fault), 1);
    return fault;
  }

  clear(): void {
    this.#queue = [];
  }
}
