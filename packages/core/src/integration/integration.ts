import { createHash } from 'node:crypto';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { Client, RequestOptions } from '../client/client.js';
import type { ClientOptions } from '../client/client-options.js';
import { createClient } from '../client/create-client.js';
import { type DryRunRequest, DryRunStop } from '../client/dry-run.js';
import {
  IntegrationDisabled,
  IntegrationNotConfigured,
  IntegrationPermanentError,
  IntegrationValidationError,
  isIntegrationError,
} from '../errors/integration-error.js';
import type { RetryOptions } from '../policies/retry-options.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateStore } from '../state/state-store.js';
import { integrationLogger, type Logger } from '../telemetry/logger.js';
import { bindClient } from './bind-client.js';
import type {
  AnyOperation,
  IntegrationDefinition,
  OperationContext,
  OperationInput,
  OperationOutput,
} from './define.js';
import { describeIssues, fieldIssues } from './field-issues.js';
import { ReadCache } from './read-cache.js';
import { type ConfigResolution, type ConfigSources, resolveIntegrationConfig } from './resolve-config.js';
import { secretFields } from './secret.js';

/** Seed 003's lifecycle states. */
export type IntegrationStatus = 'uninitialized' | 'ready' | 'disabled' | 'not_configured' | 'error';

/** Seed 003's `IntegrationHealth`. */
export interface IntegrationHealth {
  name: string;
  status: IntegrationStatus;
  message: string;
  latencyMs?: number;
}

export interface CreateIntegrationOptions extends ConfigSources {
  /** Shared state (cache today; breaker, limiter and tokens ride on it too). @default a MemoryStore */
  store?: StateStore;
  logger?: Logger | false;
  metricsRegistry?: Registry | false;
  /** Client options the host adds (egress policy, dispatcher, clock, …). */
  client?: Partial<Omit<ClientOptions, 'name' | 'baseUrl' | 'auth'>>;
}

/** What a dry run shows: the write the operation would send. */
export interface DryRunResult {
  dryRun: true;
  operation: string;
  request: DryRunRequest | null;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Sent with every request the operation makes (and kept across retries), so a replayed or
   * retried write is applied once by an upstream that honours idempotency keys.
   */
  idempotencyKey?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the definition's operation table, whatever its schemas
type AnyDefinition = IntegrationDefinition<z.ZodObject, Record<string, AnyOperation<any>>>;

/** A live integration: its config resolved, its client built, its operations callable. */
export interface Integration<Def extends AnyDefinition = AnyDefinition> {
  readonly name: string;
  readonly definition: Def;
  readonly status: IntegrationStatus;
  /** Seed 000: false when disabled (or not configured). */
  enabled(): boolean;
  /** Seed 000: throws IntegrationDisabled. */
  requireEnabled(): void;
  /** Seed 000: throws IntegrationDisabled or IntegrationNotConfigured (naming the fields); returns the config. */
  requireConfig(): z.output<Def['config']>;
  /** Names of the config fields that are secrets. */
  readonly secretFields: readonly string[];
  /** Seed 003: resolves config and builds the client; never throws, sets `status`. */
  initialize(): Promise<void>;
  /** Seed 003: `{ name, status, message }` from a live call. Never throws. */
  healthCheck(): Promise<IntegrationHealth>;
  /** Validates input, serves from cache when it may, runs the operation, checks its output. */
  call<K extends keyof Def['operations'] & string>(
    operation: K,
    input: OperationInput<Def['operations'][K]>,
    options?: CallOptions,
  ): Promise<OperationOutput<Def['operations'][K]>>;
  /**
   * Runs the operation up to its first write and returns that request instead of sending it,
   * secrets redacted (`request: null` when the operation made no write). Input is validated as
   * for `call`; reads on the way go out for real; nothing is cached.
   */
  dryRun<K extends keyof Def['operations'] & string>(
    operation: K,
    input: OperationInput<Def['operations'][K]>,
    options?: Omit<CallOptions, 'idempotencyKey'> & { idempotencyKey?: string },
  ): Promise<DryRunResult>;
  /** Drops cached results: one input's, one operation's, or all of this integration's. */
  invalidate(operation?: keyof Def['operations'] & string, input?: unknown): Promise<number>;
  readonly cache: ReadCache;
  /** The HTTP client, once initialized and configured. */
  readonly client: Client | undefined;
  close(): Promise<void>;
}

const SILENT = pino({ level: 'silent' });
/** One shared object, so the client finds its pipeline for it by identity on every call. */
const REPEATABLE_RETRY: RetryOptions = Object.freeze({ retryNonIdempotent: true });

/** Builds a live integration from its definition. Call `initialize()` (or just `call`) next. */
export function createIntegration<Def extends AnyDefinition>(
  definition: Def,
  options: CreateIntegrationOptions = {},
): Integration<Def> {
  type Config = z.output<Def['config']>;
  const name = definition.name;
  const store = options.store ?? new MemoryStore();
  const log = options.logger === false ? undefined : integrationLogger(name, options.logger);
  let cacheInstance: ReadCache | undefined;
  // Cached results and shared limits belong to one credential on one server: two tenants with
  // two tokens must never read each other's cache or share a bucket.
  const credentialId = (config: Config): string => {
    const parts = [String((config as { baseUrl?: unknown }).baseUrl ?? '')];
    for (const field of secretFields(definition.config))
      parts.push(String((config as Record<string, unknown>)[field] ?? ''));
    return createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 16);
  };
  const cacheFor = (config: Config): ReadCache => {
    cacheInstance ??= new ReadCache(
      `${name}:${credentialId(config)}`,
      store,
      options.metricsRegistry ?? undefined,
      name,
    );
    return cacheInstance;
  };
  let resolution: ConfigResolution<Config> | undefined;
  let client: Client | undefined;
  let status: IntegrationStatus = 'uninitialized';

  const resolve = (): ConfigResolution<Config> => {
    resolution ??= resolveIntegrationConfig(definition, options) as ConfigResolution<Config>;
    return resolution;
  };

  const requireConfig = (): Config => {
    const r = resolve();
    if (!r.enabled) {
      throw new IntegrationDisabled(`Integration ${name} is disabled`, {
        integration: name,
        code: 'DISABLED',
      });
    }
    if (!r.ok) {
      throw new IntegrationNotConfigured(
        `Integration ${name} is not configured: ${describeIssues(r.issues)}`,
        {
          integration: name,
          code: 'NOT_CONFIGURED',
          issues: r.issues,
        },
      );
    }
    return r.config;
  };

  const ensureClient = (config: Config): Client => {
    if (client) return client;
    const baseUrl = definition.baseUrl
      ? definition.baseUrl(config)
      : (config as { baseUrl?: unknown }).baseUrl;
    if (typeof baseUrl !== 'string') {
      throw new IntegrationNotConfigured(`Integration ${name} has no base URL`, {
        integration: name,
        code: 'NOT_CONFIGURED',
      });
    }
    const secrets = secretFields(definition.config)
      .map((field) => (config as Record<string, unknown>)[field])
      .filter((v): v is string => typeof v === 'string');
    const policies = definition.policies ?? {};
    const declared = typeof definition.client === 'function' ? definition.client(config) : definition.client;
    client = createClient({
      ...declared,
      ...options.client,
      name,
      baseUrl,
      ...(definition.auth ? { auth: definition.auth(config) } : {}),
      ...(policies.retry === undefined ? {} : { retry: policies.retry }),
      ...(policies.timeout === undefined ? {} : { timeout: policies.timeout }),
      ...(policies.totalTimeout === undefined ? {} : { totalTimeout: policies.totalTimeout }),
      // Integrations get a breaker by default: one dead vendor must not tie up every caller.
      circuitBreaker: policies.circuitBreaker ?? {},
      ...(policies.rateLimit ? { rateLimit: policies.rateLimit } : {}),
      store,
      credentialId: credentialId(config),
      redact: {
        ...options.client?.redact,
        secrets: [...secrets, ...(options.client?.redact?.secrets ?? [])],
      },
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.metricsRegistry === undefined ? {} : { metricsRegistry: options.metricsRegistry }),
    });
    return client;
  };

  const context = (
    config: Config,
    operation: string,
    signal: AbortSignal | undefined,
    idempotencyKey?: string,
    dryRun = false,
  ): OperationContext<Config> => {
    const http = ensureClient(config);
    const op = definition.operations[operation];
    const defaults: RequestOptions = { operation };
    if (signal) defaults.signal = signal;
    if (dryRun) defaults.dryRun = true;
    if (idempotencyKey !== undefined) defaults.idempotencyKey = idempotencyKey;
    // An operation declared repeatable (every read, and writes marked idempotent) may be retried
    // even when it is sent as a POST (search APIs, GraphQL).
    if (op && (op.idempotent ?? op.kind === 'read')) defaults.retry = REPEATABLE_RETRY;
    return {
      http: bindClient(http, defaults),
      config,
      integration: name,
      operation,
      signal,
      log: log ?? SILENT,
    };
  };

  const integration: Integration<Def> = {
    name,
    definition,
    get status() {
      return status;
    },
    secretFields: secretFields(definition.config),
    enabled() {
      const r = resolve();
      return r.enabled && r.ok;
    },
    requireEnabled() {
      if (!resolve().enabled) {
        throw new IntegrationDisabled(`Integration ${name} is disabled`, {
          integration: name,
          code: 'DISABLED',
        });
      }
    },
    requireConfig,
    async initialize() {
      try {
        ensureClient(requireConfig());
        status = 'ready';
      } catch (error) {
        status = isIntegrationError(error)
          ? error.type === 'IntegrationDisabled'
            ? 'disabled'
            : error.type === 'IntegrationNotConfigured'
              ? 'not_configured'
              : 'error'
          : 'error';
        // Not configured or disabled is a normal state (the hub ships every connector); an error is not.
        log?.[status === 'error' ? 'warn' : 'info'](
          { status },
          `Integration ${name} not ready: ${isIntegrationError(error) ? error.message : String(error)}`,
        );
      }
    },
    async healthCheck() {
      if (status === 'uninitialized') await integration.initialize();
      if (status !== 'ready') {
        return { name, status, message: status === 'disabled' ? 'disabled' : describeState() };
      }
      const started = performance.now();
      try {
        const config = requireConfig();
        if (definition.health) await definition.health(context(config, 'health_check', undefined));
        else if (!(await ensureClient(config).healthCheck())) throw new Error('health check failed');
        return { name, status: 'ready', message: 'API accessible', latencyMs: performance.now() - started };
      } catch (error) {
        const message = isIntegrationError(error) ? `${error.type}: ${error.message}` : 'health check failed';
        return { name, status: 'error', message, latencyMs: performance.now() - started };
      }
    },
    async dryRun(operation, input, callOptions = {}) {
      const { op, data } = validated(operation, input);
      const config = requireConfig();
      const ctx = context(config, operation, callOptions.signal, callOptions.idempotencyKey, true);
      try {
        await op.run(ctx, data);
      } catch (error) {
        if (error instanceof DryRunStop) return { dryRun: true, operation, request: error.request };
        throw error;
      }
      return { dryRun: true, operation, request: null };
    },
    async call(operation, input, callOptions = {}) {
      const { op, data } = validated(operation, input);
      const config = requireConfig();
      const cacheable = op.cache !== undefined && op.kind === 'read';
      const cache = cacheable ? cacheFor(config) : undefined;
      if (cache) {
        // The cache is an optimisation: a store that is down makes a miss, never a failed call.
        const hit = await cache.get(operation, data).catch(() => undefined);
        if (hit) return hit.value as never;
      }
      const raw = await op.run(
        context(config, operation, callOptions.signal, callOptions.idempotencyKey),
        data,
      );
      const result = checkOutput(op, raw, operation);
      if (cache && op.cache) await cache.set(operation, data, result, op.cache.ttl).catch(() => undefined);
      return result as never;
    },
    invalidate: (operation, input) => cacheFor(requireConfig()).invalidate(operation, input),
    get cache() {
      return cacheFor(requireConfig());
    },
    get client() {
      return client;
    },
    async close() {
      await client?.close();
      client = undefined;
    },
  };

  /** The operation and its input parsed by its schema; an unknown operation or bad input is an IntegrationValidationError naming the fields. */
  function validated(operation: string, input: unknown): { op: AnyOperation<Config>; data: unknown } {
    const op = Object.hasOwn(definition.operations, operation) ? definition.operations[operation] : undefined;
    if (!op) {
      throw new IntegrationValidationError(`Integration ${name} has no operation ${operation}`, {
        integration: name,
        operation,
        code: 'INVALID_INPUT',
      });
    }
    const parsed = op.input.safeParse(input);
    if (!parsed.success) {
      const issues = fieldIssues(parsed.error);
      throw new IntegrationValidationError(
        `Invalid input for ${name}.${operation}: ${describeIssues(issues)}`,
        {
          integration: name,
          operation,
          code: 'INVALID_INPUT',
          issues,
        },
      );
    }
    return { op, data: parsed.data };
  }

  function describeState(): string {
    const r = resolve();
    return r.enabled && !r.ok ? `not configured: ${describeIssues(r.issues)}` : 'not ready';
  }

  function checkOutput(op: AnyOperation<Config>, raw: unknown, operation: string): unknown {
    if (!op.output) return raw;
    const checked = (op.output as z.ZodType).safeParse(raw);
    if (checked.success) return checked.data;
    const issues = fieldIssues(checked.error, 'output');
    throw new IntegrationPermanentError(
      `Upstream answer for ${name}.${operation} does not match the expected shape: ${describeIssues(issues)}`,
      { integration: name, operation, code: 'INVALID_OUTPUT', issues },
    );
  }

  return integration;
}
