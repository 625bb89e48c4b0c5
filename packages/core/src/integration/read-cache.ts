import { createHash } from 'node:crypto';
import { Counter, register as defaultRegistry, type Registry } from 'prom-client';
import type { StateStore } from '../state/state-store.js';
import { canonicalJson } from './canonical-json.js';

const counters = new WeakMap<Registry, Counter<'integration' | 'operation' | 'result'>>();

function cacheCounter(registry: Registry): Counter<'integration' | 'operation' | 'result'> {
  let counter = counters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: 'patchbay_cache_requests_total',
      help: 'Cached-read lookups by result (hit, miss)',
      labelNames: ['integration', 'operation', 'result'],
      registers: [registry],
    });
    counters.set(registry, counter);
  }
  return counter;
}

/**
 * Results of cacheable reads, in the shared store so every hub process sees one cache. Keys are
 * `patchbay:<integration>:<credential fingerprint>:cache:<operation>:<sha256 of the canonical input>`: the input is hashed,
 * so no input value (a customer id, an email) is written into a key.
 */
export class ReadCache {
  readonly stats = { hits: 0, misses: 0 };
  private readonly counter: Counter<'integration' | 'operation' | 'result'> | undefined;

  /**
   * @param scope integration name plus a credential fingerprint: the key namespace
   * @param metricName the integration's name as metrics show it (never the fingerprint's secret inputs)
   */
  constructor(
    private readonly scope: string,
    private readonly store: StateStore,
    registry: Registry | false = defaultRegistry,
    private readonly integration: string = scope,
  ) {
    this.counter = registry === false ? undefined : cacheCounter(registry);
  }

  key(operation: string, input: unknown): string {
    const digest = createHash('sha256').update(canonicalJson(input)).digest('base64url');
    return `${this.prefix(operation)}${digest}`;
  }

  prefix(operation?: string): string {
    return operation === undefined
      ? `patchbay:${this.scope}:cache:`
      : `patchbay:${this.scope}:cache:${operation}:`;
  }

  /** The cached result, or `undefined` on a miss. */
  async get(operation: string, input: unknown): Promise<{ value: unknown } | undefined> {
    const raw = await this.store.get(this.key(operation, input));
    const hit = raw !== undefined;
    if (hit) this.stats.hits++;
    else this.stats.misses++;
    this.counter?.inc({ integration: this.integration, operation, result: hit ? 'hit' : 'miss' });
    return hit ? { value: JSON.parse(raw) } : undefined;
  }

  async set(operation: string, input: unknown, value: unknown, ttlSeconds: number): Promise<void> {
    await this.store.set(this.key(operation, input), JSON.stringify(value ?? null), ttlSeconds * 1000);
  }

  /** Drops one entry (operation and input), one operation's entries, or the whole integration's. */
  async invalidate(operation?: string, input?: unknown): Promise<number> {
    if (operation !== undefined && input !== undefined) {
      const key = this.key(operation, input);
      const existed = (await this.store.get(key)) !== undefined;
      await this.store.delete(key);
      return existed ? 1 : 0;
    }
    return this.store.deletePrefix(this.prefix(operation));
  }
}
