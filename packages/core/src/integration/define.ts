import type { z } from 'zod';
import type { AuthStrategy } from '../auth/auth-strategy.js';
import type { Client } from '../client/client.js';
import type { ClientOptions } from '../client/client-options.js';
import type { CircuitBreakerConfig } from '../policies/circuit-breaker/options.js';
import type { RateLimitOptions } from '../policies/rate-limit/rate-limit-options.js';
import type { RetryOptions } from '../policies/retry-options.js';
import type { Logger } from '../telemetry/logger.js';

/** `read` operations may be cached and are safe to repeat; `write` operations change something. */
export type OperationKind = 'read' | 'write';

/** What an operation's `run` receives besides its validated input. */
export interface OperationContext<Config> {
  /** The integration's client, bound to this operation (metrics label, caller's signal). */
  http: Client;
  config: Config;
  integration: string;
  operation: string;
  signal: AbortSignal | undefined;
  log: Logger;
}

export interface CacheSpec {
  /** Seconds a cached result stays fresh. @example 300 */
  ttl: number;
}

export interface OperationDefinition<
  Config,
  In extends z.ZodType = z.ZodType,
  Out extends z.ZodType = z.ZodType,
> {
  /** Shown to people (docs, dashboard) and to agents (MCP tool description). */
  description: string;
  input: In;
  /** Checked before the result is returned; a mismatch is an `INVALID_OUTPUT` error. */
  output?: Out;
  kind: OperationKind;
  /**
   * Safe to repeat with the same input.
   * @default true for reads, false for writes
   */
  idempotent?: boolean;
  /** Cache successful results of a read. */
  cache?: CacheSpec;
  run: (ctx: OperationContext<Config>, input: z.output<In>) => Promise<unknown>;
}

/** Declares one operation; the identity function that gives it its types. */
export function defineOperation<Config, In extends z.ZodType, Out extends z.ZodType = z.ZodUnknown>(
  definition: OperationDefinition<Config, In, Out>,
): OperationDefinition<Config, In, Out> {
  return definition;
}

/** Client options an integration may set for itself. */
export type IntegrationClientOptions = Partial<Omit<ClientOptions, 'name' | 'baseUrl' | 'auth'>>;

/** The policies an integration declares for its client. */
export interface IntegrationPolicies {
  retry?: RetryOptions | false;
  /** Per-attempt timeout, ms. */
  timeout?: number;
  /** Whole-call deadline, ms. */
  totalTimeout?: number;
  /** On by default for integrations; `false` turns it off. */
  circuitBreaker?: CircuitBreakerConfig | false;
  rateLimit?: RateLimitOptions | false;
}

// biome-ignore lint/suspicious/noExplicitAny: operations of any input/output schema live in one table
export type AnyOperation<Config> = OperationDefinition<Config, any, any>;

export interface IntegrationDefinition<
  ConfigSchema extends z.ZodObject = z.ZodObject,
  Operations extends Record<string, AnyOperation<z.output<ConfigSchema>>> = Record<
    string,
    AnyOperation<z.output<ConfigSchema>>
  >,
> {
  /** Lower-case identifier: `github`, `jira`, `payments`. */
  name: string;
  description?: string;
  config: ConfigSchema;
  /** Env variable per config field, as the seeds name them. @example { token: 'GITHUB_TOKEN' } */
  env?: Partial<Record<keyof z.input<ConfigSchema> & string, string>>;
  /** Base URL from config. @default config.baseUrl */
  baseUrl?: (config: z.output<ConfigSchema>) => string;
  auth?: (config: z.output<ConfigSchema>) => AuthStrategy;
  policies?: IntegrationPolicies;
  /**
   * Extra client options (headers, size caps, request signing, …), or a function of the config
   * when they need it (a signing secret).
   * @example client: (c) => ({ sign: hmacSigner({ secret: c.hmacSecret }) })
   */
  client?: IntegrationClientOptions | ((config: z.output<ConfigSchema>) => IntegrationClientOptions);
  /** A cheap live call that proves the credential works. */
  health?: (ctx: OperationContext<z.output<ConfigSchema>>) => Promise<unknown>;
  operations: Operations;
}

/**
 * Declares an integration once; REST, MCP, the bus and typed calls are projections of it.
 * @example
 * const github = defineIntegration({
 *   name: 'github',
 *   config: z.object({ token: secret(), baseUrl: z.string().url().default('https://api.github.com') }),
 *   env: { token: 'GITHUB_TOKEN', baseUrl: 'GITHUB_API_URL' },
 *   auth: (c) => bearer(c.token),
 *   operations: { get_repository: defineOperation({ … }) },
 * });
 */
export function defineIntegration<
  ConfigSchema extends z.ZodObject,
  Operations extends Record<string, AnyOperation<z.output<ConfigSchema>>>,
>(
  definition: IntegrationDefinition<ConfigSchema, Operations>,
): IntegrationDefinition<ConfigSchema, Operations> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) {
    throw new TypeError(
      `integration name must be lower-case letters, digits and _, got ${JSON.stringify(definition.name)}`,
    );
  }
  for (const name of Object.keys(definition.operations)) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new TypeError(
        `${definition.name}: operation name must be lower-case letters, digits and _, got ${JSON.stringify(name)}`,
      );
    }
  }
  return definition;
}

/** The input type a caller passes to an operation. */
export type OperationInput<Op> =
  // `never` config: an operation whose run reads a typed config still matches (parameters are contravariant).
  Op extends OperationDefinition<never, infer In, z.ZodType> ? z.input<In> : never;
/** The result type of an operation: its output schema's type, or `unknown`. */
export type OperationOutput<Op> = Op extends { output?: infer Out }
  ? Out extends z.ZodType
    ? z.output<Out>
    : unknown
  : unknown;
