/** Which of GitHub's rate-limit buckets a request counts against. */
export type QuotaResource = 'core' | 'search';

interface Bucket {
  limit: number;
  used: number;
  /** Epoch seconds. */
  reset: number;
  windowSeconds: number;
}

/**
 * GitHub's primary rate limits as the fake keeps them: a fixed window per resource (core 5000 an
 * hour, search 30 a minute by default), reported in `x-ratelimit-*` on every response.
 */
export class QuotaBook {
  readonly #buckets: Record<QuotaResource, Bucket>;
  readonly #now: () => number;

  constructor(limits: { core: number; search: number }, now: () => number = Date.now) {
    this.#now = now;
    const second = Math.floor(now() / 1000);
    this.#buckets = {
      core: { limit: limits.core, used: 0, reset: second + 3600, windowSeconds: 3600 },
      search: { limit: limits.search, used: 0, reset: second + 60, windowSeconds: 60 },
    };
  }

  /** Counts one request; false when the window has nothing left (the request must be refused). */
  take(resource: QuotaResource): boolean {
    const bucket = this.#current(resource);
    if (bucket.used >= bucket.limit) return false;
    bucket.used++;
    return true;
  }

  /** The `x-ratelimit-*` headers GitHub sends on every response. */
  headers(resource: QuotaResource): Record<string, string> {
    const b = this.#current(resource);
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(Math.max(0, b.limit - b.used)),
      'x-ratelimit-reset': String(b.reset),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-resource': resource,
    };
  }

  /** GitHub's `rate-limit` object for `GET /rate_limit`. */
  snapshot(resource: QuotaResource): { limit: number; remaining: number; reset: number; used: number } {
    const b = this.#current(resource);
    return { limit: b.limit, remaining: Math.max(0, b.limit - b.used), reset: b.reset, used: b.used };
  }

  #current(resource: QuotaResource): Bucket {
    const bucket = this.#buckets[resource];
    const second = Math.floor(this.#now() / 1000);
    if (second >= bucket.reset) {
      bucket.used = 0;
      bucket.reset = second + bucket.windowSeconds;
    }
    return bucket;
  }
}
