import { setMaxListeners } from 'node:events';
import { Agent, type Dispatcher } from 'undici';
import type { AuthStrategy } from '../auth/auth-strategy.js';
import { noAuth } from '../auth/static-auth.js';
import { isIntegrationError } from '../errors/integration-error.js';
import { EgressPolicy } from '../http/egress.js';
import { egressConnector } from '../http/egress-connector.js';
import { send } from '../http/transport.js';
import type { ApiResponse, HttpMethod } from '../http/types.js';
import { parseBaseUrl } from '../http/url.js';
import { attemptTimeoutPolicy } from '../policies/attempt-timeout.js';
import { authPolicy } from '../policies/auth-policy.js';
import { createCircuitBreaker } from '../policies/circuit-breaker/circuit-breaker.js';
import { circuitBreakerPolicy } from '../policies/circuit-breaker/circuit-breaker-policy.js';
import { classifyPolicy } from '../policies/classify-policy.js';
import { systemClock } from '../policies/clock.js';
import { type CallContext, composePipeline, type Handler } from '../policies/pipeline.js';
import { rateLimitPolicy } from '../policies/rate-limit/rate-limit-policy.js';
import { createRateLimiter } from '../policies/rate-limit/rate-limiter.js';
import { retryPolicy } from '../policies/retry.js';
import { RetryBudget } from '../policies/retry-budget.js';
import { type ResolvedRetryOptions, resolveRetryOptions } from '../policies/retry-options.js';
import { Redactor } from '../redact/redactor.js';
import { MemoryStore } from '../state/memory-store.js';
import { ClientMetrics } from '../telemetry/client-metrics.js';
import { integrationLogger } from '../telemetry/logger.js';
import { PrometheusRecorder } from '../telemetry/prometheus.js';
import { createCallRecorder } from './call-recorder.js';
import type { Client, RequestOptions } from './client.js';
import { type ClientOptions, resolveClientOptions } from './client-options.js';
import { DRY_RUN_PASSES, DryRunStop, dryRunView } from './dry-run.js';
import { createFetch } from './fetch.js';
import { type BodyMode, parseBody } from './parse-body.js';
import { lowerCaseKeys, prepareRequest } from './prepare-request.js';
import { createRetryObserver } from './retry-observer.js';

/** Node timers overflow past 2^31-1 ms (and then fire at once). */
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_HEADERS: Record<string, string> = { 'user-agent': 'patchbay/0.1', accept: 'application/json' };

/**
 * Creates a resilient client for one upstream.
 * @example
 * await using github = createClient({ name: 'github', baseUrl: 'https://api.github.com', auth: bearer(token) });
 * const repo = await github.get('/repos/nodejs/undici');
 */
export function createClient(options: ClientOptions): Client {
  const settings = resolveClientOptions(options);
  const base = parseBaseUrl(options.baseUrl);
  const auth: AuthStrategy = options.auth ?? noAuth();
  const clock = options.clock ?? systemClock;
  const retryDefaults = resolveRetryOptions(options.retry);
  const name = options.name;

  const defaultHeaders = lowerCaseKeys({ ...DEFAULT_HEADERS, ...options.defaultHeaders });
  const redactor = new Redactor(options.redact);
  for (const secret of auth.secrets()) redactor.addSecret(secret);
  for (const header of auth.credentialHeaders) redactor.addHeaderName(header);
  for (const param of auth.credentialParams) redactor.addParamName(param);
  for (const [header, value] of Object.entries(defaultHeaders)) {
    if (redactor.isSensitiveHeader(header)) redactor.addSecret(value);
  }
  for (const secret of options.sign?.secrets() ?? []) redactor.addSecret(secret);
  for (const header of options.sign?.credentialHeaders ?? []) redactor.addHeaderName(header);
  // Credentials obtained later (OAuth access tokens, rotated refresh tokens) are hidden too.
  const stopHearingSecrets = auth.onSecret?.((secret) => redactor.addSecret(secret, { ephemeral: true }));

  const log = options.logger === false ? undefined : integrationLogger(name, options.logger);
  const metrics = new ClientMetrics();
  const prometheus =
    options.metricsRegistry === false ? undefined : new PrometheusRecorder(name, options.metricsRegistry);

  const ownsDispatcher = options.dispatcher === undefined;
  if (options.egress && options.dispatcher) {
    throw new TypeError('egress cannot be enforced on a caller-supplied dispatcher: give one or the other');
  }
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Agent({
      connections: settings.maxConnections,
      keepAliveTimeout: settings.keepAliveTimeout,
      connect: options.egress
        ? egressConnector(new EgressPolicy(options.egress), settings.connectTimeout)
        : { timeout: settings.connectTimeout },
    });

  auth.useDispatcher?.(dispatcher);
  /** Aborted by close(): calls waiting to retry give up instead of retrying into a closed pool. */
  const lifetime = new AbortController();
  // Every call waiting out a backoff listens to it: many at once is normal, not a leak.
  setMaxListeners(0, lifetime.signal);

  const isCredentialHeader = (header: string) => redactor.isSensitiveHeader(header);
  const isCredentialParam = (param: string) => redactor.isSensitiveParam(param);
  const transportFor = (maxResponseBytes: number, timeout: number): Handler => {
    const transportOptions = {
      dispatcher,
      // Unless set on their own, the header and body clocks follow the attempt timeout in force,
      // so a per-call `timeout` above the client's is not cut short by them.
      headersTimeout: options.headersTimeout ?? timeout,
      bodyTimeout: options.bodyTimeout ?? timeout,
      maxResponseBytes,
      maxRedirects: settings.maxRedirects,
      isCredentialHeader,
      isCredentialParam,
    };
    return (req, _call, signal) => send(req, signal, transportOptions);
  };

  const store = options.store ?? new MemoryStore(() => clock.wallNow());
  const stateKey = `patchbay:${name}:${options.credentialId ?? 'default'}`;
  const limiter = options.rateLimit
    ? createRateLimiter({ name, ...options.rateLimit, store, key: `${stateKey}:rl`, clock })
    : undefined;
  const rateLimitStage = limiter ? rateLimitPolicy(limiter) : undefined;
  const breaker = options.circuitBreaker
    ? createCircuitBreaker({
        name,
        ...options.circuitBreaker,
        store,
        clock,
        ...(log ? { logger: log } : {}),
        onStateChange: (_from, to, reason) => {
          if (to === 'open') metrics.recordBreakerOpen();
          prometheus?.recordBreakerTransition(to, reason);
        },
      })
    : undefined;
  const breakerStage = breaker ? circuitBreakerPolicy(breaker) : undefined;

  const authStage = authPolicy(auth, clock);
  const observer = createRetryObserver({ log, metrics, prometheus, redactor });
  const budgetFor = (retry: ResolvedRetryOptions) =>
    retry.budget && retry.maxRetries > 0 ? new RetryBudget(retry.budget, clock) : undefined;
  const sharedBudget = budgetFor(retryDefaults);

  const buildPipeline = (retry: ResolvedRetryOptions, timeout: number, maxResponseBytes: number): Handler =>
    composePipeline(
      {
        ...(breakerStage ? { breaker: breakerStage } : {}),
        retry: retryPolicy(retry, { clock, budget: sharedBudget, observer, lifetime: lifetime.signal }),
        ...(rateLimitStage ? { rateLimit: rateLimitStage } : {}),
        auth: authStage,
        ...(options.sign ? { sign: options.sign } : {}),
        timeout: attemptTimeoutPolicy({ timeout, clock }),
        classify: classifyPolicy({
          redactor,
          timeouts: {
            connect: settings.connectTimeout,
            headers: options.headersTimeout ?? timeout,
            body: options.bodyTimeout ?? timeout,
          },
          wallNow: () => clock.wallNow(),
        }),
      },
      transportFor(maxResponseBytes, timeout),
    );
  const defaultPipeline = buildPipeline(retryDefaults, settings.timeout, settings.maxResponseBytes);

  const overridePipelines = new Map<string, Handler>();
  const retryOverridePipelines = new WeakMap<object, Handler>();
  const requestDefaults = { base, defaultHeaders, idempotencyHeader: settings.idempotencyHeader };
  const recorder = createCallRecorder({ log, metrics, prometheus, redactor, settings });
  let closed = false;

  async function execute<T>(
    method: HttpMethod,
    target: string,
    callOptions: RequestOptions,
    mode: BodyMode,
  ): Promise<ApiResponse<T>> {
    if (closed) throw new TypeError(`client ${name} is closed`);
    const started = clock.now();
    let req = prepareRequest(method, target, callOptions, requestDefaults);
    const totalTimeout = callOptions.totalTimeout ?? settings.totalTimeout;
    const call: CallContext = {
      integration: name,
      operation: req.operation,
      signal: callOptions.signal,
      deadlineAt: started + totalTimeout,
      totalTimeout,
      attempt: 0,
    };
    try {
      if (options.prepareRequest) req = (await options.prepareRequest(req)) ?? req;
      if (callOptions.dryRun && !DRY_RUN_PASSES.has(req.method))
        throw new DryRunStop(dryRunView(req, redactor));
      if (log && settings.logRequests && log.isLevelEnabled('debug')) {
        log.debug(
          {
            method: req.method,
            url: redactor.url(req.origin + req.path),
            headers: redactor.headers(req.headers),
          },
          `${req.method} ${redactor.url(req.origin + req.path)}`,
        );
      }
      const raw = await pipelineFor(callOptions)(req, call);
      let response: ApiResponse<unknown> = {
        status: raw.status,
        headers: raw.headers,
        body: parseBody(raw, mode, {
          integration: name,
          operation: req.operation,
          method: req.method,
          redactedUrl: () => redactor.url(raw.url),
        }),
        durationMs: clock.now() - started,
        attempts: call.attempt,
      };
      if (options.handleResponse) response = (await options.handleResponse(response, req)) ?? response;
      recorder.success(req, raw, response.durationMs, call.attempt);
      return response as ApiResponse<T>;
    } catch (error) {
      if (!(error instanceof DryRunStop)) recorder.failure(req, error, clock.now() - started, call.attempt);
      if (req.idempotencyKey !== undefined && isIntegrationError(error))
        error.idempotencyKey ??= req.idempotencyKey;
      throw error;
    }
  }

  function pipelineFor(callOptions: RequestOptions): Handler {
    if (
      callOptions.retry === undefined &&
      callOptions.timeout === undefined &&
      callOptions.maxResponseBytes === undefined
    ) {
      return defaultPipeline;
    }
    const retryOnly =
      callOptions.timeout === undefined &&
      callOptions.maxResponseBytes === undefined &&
      typeof callOptions.retry === 'object';
    if (retryOnly) {
      // The common override (an operation's shared retry rule object): found by identity, no key to build.
      const byIdentity = retryOverridePipelines.get(callOptions.retry as object);
      if (byIdentity) return byIdentity;
    }
    const timeout = callOptions.timeout ?? settings.timeout;
    const maxResponseBytes = callOptions.maxResponseBytes ?? settings.maxResponseBytes;
    checkMs('timeout', timeout);
    if (callOptions.totalTimeout !== undefined) checkMs('totalTimeout', callOptions.totalTimeout);
    // Calls repeat the same overrides (an operation's retry rule): build each pipeline once.
    const key = JSON.stringify([callOptions.retry, timeout, maxResponseBytes]);
    let pipeline = overridePipelines.get(key);
    if (!pipeline) {
      const retry =
        callOptions.retry === undefined
          ? retryDefaults
          : resolveRetryOptions(callOptions.retry, retryDefaults);
      pipeline = buildPipeline(retry, timeout, maxResponseBytes);
      if (overridePipelines.size >= 64) overridePipelines.clear();
      overridePipelines.set(key, pipeline);
    }
    if (retryOnly) retryOverridePipelines.set(callOptions.retry as object, pipeline);
    return pipeline;
  }

  const client: Client = {
    name,
    request: (method, path, opts = {}) => execute(method, path, opts, 'auto'),
    get: (path, opts = {}) => execute('GET', path, opts, 'auto').then(bodyOf),
    post: (path, opts = {}) => execute('POST', path, opts, 'auto').then(bodyOf),
    put: (path, opts = {}) => execute('PUT', path, opts, 'auto').then(bodyOf),
    patch: (path, opts = {}) => execute('PATCH', path, opts, 'auto').then(bodyOf),
    delete: (path, opts = {}) => execute('DELETE', path, opts, 'auto').then(bodyOf),
    requestJson: (method, path, opts = {}) => execute(method, path, opts, 'json').then(bodyOf),
    requestBytes: (method, path, opts = {}) =>
      execute<Uint8Array | null>(method, path, opts, 'bytes').then(bodyOf),
    fetch: createFetch(base.origin, (method, path, opts) =>
      execute<Buffer | null>(method, path, opts, 'bytes'),
    ),
    async healthCheck() {
      try {
        if (options.healthCheck) return await options.healthCheck(client);
        await execute('GET', settings.healthCheckPath, { retry: false, operation: 'health_check' }, 'auto');
        return true;
      } catch {
        return false;
      }
    },
    getMetrics: () => metrics.snapshot(),
    async getStatus() {
      return {
        rateLimit: limiter ? await limiter.snapshot() : undefined,
        circuitBreaker: breaker ? { state: await breaker.getState(), opens: breaker.opens } : undefined,
      };
    },
    resetMetrics: () => metrics.reset(),
    async close() {
      if (closed) return;
      closed = true;
      lifetime.abort();
      stopHearingSecrets?.();
      if (ownsDispatcher) await dispatcher.close();
    },
    [Symbol.asyncDispose]() {
      return client.close();
    },
  };
  return client;
}

// biome-ignore lint/suspicious/noExplicitAny: the caller's T is asserted by the typed methods above
function bodyOf(response: ApiResponse<any>): any {
  return response.body;
}

function checkMs(name: string, value: number): void {
  if (!(value > 0 && value <= MAX_TIMER_MS)) {
    throw new TypeError(`${name} must be a number of ms in (0, ${MAX_TIMER_MS}], got ${value}`);
  }
}
