import { IntegrationNotConfigured, isIntegrationError } from '../errors/integration-error.js';
import type { CallOptions, Integration, IntegrationHealth } from './integration.js';

/** Builds an integration of some provider; called once, when the registry first needs it. */
export type IntegrationFactory = () => Integration | Promise<Integration>;

/** Errors after which the next provider in a fallback chain is tried: the primary could not serve. */
const FALLBACK_TYPES = new Set([
  'IntegrationDisabled',
  'IntegrationNotConfigured',
  'IntegrationTemporaryError',
  'IntegrationTimeoutError',
  'IntegrationRateLimited',
  'CircuitOpenError',
  'IntegrationAuthError',
]);

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
   * failure says this provider cannot serve now (disabled, down, limited, open breaker).
   * Bad input is not retried elsewhere: it would fail there too.
   */
  async call(type: string, operation: string, input: unknown, options?: CallOptions): Promise<unknown> {
    const chain = this.chains.get(type);
    if (!chain)
      throw new IntegrationNotConfigured(`No provider registered for ${type}`, { integration: type });
    let lastError: unknown;
    for (const provider of chain) {
      const integration = await this.instance(type, provider);
      try {
        return await integration.call(operation, input as never, options);
      } catch (error) {
        lastError = error;
        if (!isIntegrationError(error) || !FALLBACK_TYPES.has(error.type)) throw error;
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
      found = Promise.resolve(factory()).then(async (integration) => {
        await integration.initialize();
        return integration;
      });
      this.live.set(key, found);
    }
    return found;
  }
}
