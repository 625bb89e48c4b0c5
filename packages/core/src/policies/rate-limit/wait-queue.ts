/** A place in a {@link WaitQueue}. */
export interface Ticket<T> {
  readonly value: T;
  /** Resolves when this ticket reaches the front; rejects if it is failed or aborted first. */
  readonly turn: Promise<void>;
}

interface Entry<T> extends Ticket<T> {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * First come, first served, in one process. Only the front ticket talks to the store; the rest
 * wait on a promise, so a hundred queued callers cost no store traffic and cannot overtake each
 * other (waking them all on every refill would be a thundering herd with a random winner).
 */
export class WaitQueue<T> {
  private readonly entries: Entry<T>[] = [];

  get length(): number {
    return this.entries.length;
  }

  /**
   * Joins at the back. The ticket's turn comes at once when the queue was empty. While waiting
   * behind others, an abort of `signal` rejects the turn with the signal's reason and leaves.
   */
  join(value: T, signal?: AbortSignal): Ticket<T> {
    let resolve!: () => void;
    let reject!: (reason: unknown) => void;
    const turn = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A ticket that leaves before anyone awaits its turn must not become an unhandled rejection.
    turn.catch(() => {});
    const entry: Entry<T> = { value, turn, resolve, reject, signal, onAbort: undefined };
    this.entries.push(entry);
    if (this.entries.length === 1) {
      resolve();
    } else if (signal) {
      entry.onAbort = () => this.fail(entry, signal.reason);
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    return entry;
  }

  /** Whether the ticket is at the front (its holder may talk to the store). */
  isFront(ticket: Ticket<T>): boolean {
    return this.entries[0] === ticket;
  }

  /** Leaves the queue; when the front leaves, the next ticket's turn comes. Safe to call twice. */
  leave(ticket: Ticket<T>): void {
    const index = this.entries.indexOf(ticket as Entry<T>);
    if (index === -1) return;
    const [entry] = this.entries.splice(index, 1);
    if (entry) detach(entry);
    const front = this.entries[0];
    if (index === 0 && front) {
      detach(front); // the front handles its own abort while it sleeps
      front.resolve();
    }
  }

  /** Removes a waiting ticket and rejects its turn with `reason`. */
  fail(ticket: Ticket<T>, reason: unknown): void {
    if (this.isFront(ticket)) return; // the front is running; it decides for itself
    const index = this.entries.indexOf(ticket as Entry<T>);
    if (index === -1) return;
    this.entries.splice(index, 1);
    const entry = ticket as Entry<T>;
    detach(entry);
    entry.reject(reason);
  }

  /** The tickets behind the front, with their position (1 = next in line). */
  waiting(): [Ticket<T>, number][] {
    return this.entries.slice(1).map((entry, i) => [entry, i + 1]);
  }
}

function detach<T>(entry: Entry<T>): void {
  if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
  entry.onAbort = undefined;
}
