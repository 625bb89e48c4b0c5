import { IntegrationNotConfigured, isIntegrationError } from '../errors/integration-error.js';
import type { CallOptions, Integration, IntegrationHealth } from './integration.js';

/** Builds an integration of some provider; called once, when the registry first needs it. */
export type IntegrationFactory = () => Integration | Promise<Integration>;

/** Errors that prove the primary did not act on the call: the next provider may serve it. */
const NOT_SERVED_TYPES = new Set([
  'IntegrationDisabled',
  'IntegrationNotConfigured',
  'IntegrationRateLimited',
  'CircuitOpenError',
  'IntegrationAuthError',
]);
/** Errors after which the primary may or may not have acted: only safe to repeat elsewhere for reads. */
const MAYBE_SERVED_TYPES = new Set(['IntegrationTemporaryError', 'IntegrationTimeoutError']);

function mayFallBack(error: unknown, repeatable: boolean): boolean {
  if (!isIntegrationError(error)) return false;
  if (NOT_SERVED_TYPES.has(error.type) || error.requestSent === false) return true;
  // A write that timed out may have reached the primary: sending it to the backup could send it twice.
  return repeatable && MAYBE_SERVED_TYPES.has(error.type);
}

/**
 * Seed 003's `IntegrationRegistry`: providers registered by type (`email`) and name
 * (`sendgrid`), a chain per type (primary, then fallbacks: graceful degradation), lookups by
 * name, and health for all.
 */
export class IntegrationRegistry {
  private readonly factories = new Map<string, Map<string, IntegrationFactory>>();
  private readonly chains = new Map<string, string[]>();
  private readonly live = new Map<string, Promise<Integration>>();

  /** Registers a provider of a type; the first one registered for a type is its default primary. */
  registerProvider(type: string, name: string, factory: IntegrationFactory): this {
    let providers = this.factories.get(type);
    if (!providers) {
      providers = new Map();
      this.factories.set(type, providers);
    }
    providers.set(name, factory);
    if (!this.chains.has(type)) this.chains.set(type, [name]);
    return this;
  }

  /** Sets which providers of a type serve it, in order: primary first. */
  setChain(type: string, providers: readonly string[]): this {
    const known = this.factories.get(type);
    for (const name of providers) {
      if (!known?.has(name)) throw new TypeError(`no provider ${name} registered for ${type}`);
    }
    if (providers.length === 0) throw new TypeError(`the chain for ${type} needs at least one provider`);
    this.chains.set(type, [...providers]);
    return this;
  }

  /** The integration registered under `name` (a provider name, or a type: its primary). */
  async getIntegration(name: string): Promise<Integration> {
    const type = this.factories.has(name) ? name : this.typeOf(name);
    const provider = this.factories.has(name) ? (this.chains.get(name)?.[0] ?? name) : name;
    if (!type)
      throw new IntegrationNotConfigured(`No integration named ${name} is registered`, { integration: name });
    return this.instance(type, provider);
  }

  /**
   * Calls an operation on a type's chain: the primary first, then each fallback while the
   * failure says this provider cannot serve now (disabled, limited, open breaker, never reached).
   * A write that may have reached a provider (timeout, 5xx) moves on only if the operation is
   * idempotent; bad input is not retried elsewhere: it would fail there too.
   */
  async call(type: string, operation: string, input: unknown, options?: CallOptions): Promise<unknown> {
    const chain = this.chains.get(type);
    if (!chain)
      throw new IntegrationNotConfigured(`No provider registered for ${type}`, { integration: type });
    let lastError: unknown;
    for (const provider of chain) {
      try {
        const integration = await this.instance(type, provider);
        const op = integration.definition.operations[operation];
        const repeatable = op ? (op.idempotent ?? op.kind === 'read') : false;
        try {
          return await integration.call(operation, input as never, options);
        } catch (error) {
          if (!mayFallBack(error, repeatable)) throw error;
          lastError = error;
        }
      } catch (error) {
        if (error !== lastError && !isIntegrationError(error)) {
          // The provider could not be built (its factory failed): try the next one.
          lastError = error;
          continue;
        }
        if (error !== lastError) throw error;
      }
    }
    throw lastError;
  }

  /** Seed 003's `health_check_all`: every registered provider, never throwing. */
  async healthCheckAll(): Promise<IntegrationHealth[]> {
    const checks: Promise<IntegrationHealth>[] = [];
    for (const [type, providers] of this.factories) {
      for (const provider of providers.keys()) {
        checks.push(
          this.instance(type, provider).then(
            (integration) => integration.healthCheck(),
            (error: unknown) => ({ name: provider, status: 'error' as const, message: String(error) }),
          ),
        );
      }
    }
    return Promise.all(checks);
  }

  /** Closes every integration built so far. */
  async close(): Promise<void> {
    const built = [...this.live.values()];
    this.live.clear();
    await Promise.all(built.map(async (p) => (await p.catch(() => undefined))?.close()));
  }

  private typeOf(provider: string): string | undefined {
    for (const [type, providers] of this.factories) if (providers.has(provider)) return type;
    return undefined;
  }

  private instance(type: string, provider: string): Promise<Integration> {
    const key = `${type}/${provider}`;
    let found = this.live.get(key);
    if (!found) {
      const factory = this.factories.get(type)?.get(provider);
      if (!factory)
        throw new IntegrationNotConfigured(`No provider ${provider} for ${type}`, { integration: provider });
      found = Promise.resolve()
        .then(factory)
        .then(async (integration) => {
          await integration.initialize();
          return integration;
        });
      // A factory that failed (Vault down) is tried again next time, not remembered as broken.
      found.catch(() => this.live.delete(key));
      this.live.set(key, found);
    }
    return found;
  }
}
