/**
 * A value loaded from storage and reused for `ttlMs`, so the receiving hot path does not query the
 * configuration on every request, while changes made by another hub process show within `ttlMs`.
 * One load at a time; a failed load keeps the last good value (and is retried on the next read).
 */
export class RefreshingValue<T> {
  private value: T | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.value !== undefined && this.now() - this.loadedAt < this.ttlMs) return this.value;
    return this.refresh();
  }

  /** Loads now (after a change made through this process), sharing a load already under way. */
  refresh(): Promise<T> {
    this.loading ??= this.load().then(
      (value) => {
        this.value = value;
        this.loadedAt = this.now();
        this.loading = undefined;
        return value;
      },
      (error: unknown) => {
        this.loading = undefined;
        if (this.value !== undefined) return this.value;
        throw error;
      },
    );
    return this.loading;
  }
}
