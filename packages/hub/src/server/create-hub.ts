import { randomUUID } from 'node:crypto';
import { isRestIntegration } from '@patchbay/connectors';
import {
  type EgressOptions,
  type IntegrationDefinition,
  isIntegrationError,
  type StateStore,
} from '@patchbay/core';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Histogram, register as promRegistry } from 'prom-client';
import { ApprovalService, GatedInvoker, registerApprovalRoutes } from '../approvals/index.js';
import { type CommandBus, type CommandBusOptions, startCommandBus } from '../bus/index.js';
import type { HubConfig } from '../config/index.js';
import { type McpDeps, type McpHttpHandle, type McpHttpOptions, registerMcpRoutes } from '../mcp/index.js';
import type { OperationInvoker } from '../operations/operation-invoker.js';
import { type HubCore, openHubCore } from '../runtime/open-hub-core.js';
import type { SecretCipher } from '../secrets/index.js';
import type { AuditWriter, HubDatabase, OpenDatabaseOptions, Repositories } from '../storage/index.js';
import { CustomTools, registerToolRoutes } from '../tools/index.js';
import { type EventPublisher, WEBHOOK_ADMIN_ROUTES, type WebhookRuntime } from '../webhooks/index.js';
import { authorize, type HubScope, type Principal, seedAdminToken, TokenAuthenticator } from './auth.js';
import { HubError, notFound } from './hub-errors.js';
import type { IntegrationHost } from './integration-host.js';
import { buildOpenApi, type DocumentedRoute, docsPage, HUB_ROUTES } from './openapi.js';
import { HubLogController } from './request-log.js';
import { registerApiRoutes } from './routes.js';
import { registerShortcutRoutes, SEED_002_ROUTES } from './shortcut-routes.js';

export interface CreateHubOptions {
  config: HubConfig;
  /** The integrations this hub serves. */
  integrations: readonly IntegrationDefinition[];
  /** Storage overrides (a PostgreSQL schema for tests, pool size). URL and data dir come from `config`. */
  storage?: Pick<OpenDatabaseOptions, 'schema' | 'poolSize' | 'file'>;
  /** Egress policy for URLs set through the API. @default {} (public addresses only) */
  egress?: EgressOptions;
  /** Shared state for the clients. @default a RedisStore when `config.redisUrl`, else in memory */
  store?: StateStore;
  /** Where the generated admin token is printed once. @default stdout */
  printAdminToken?: (token: string) => void;
  /** Group-commit interval of the audit log, ms. @default 50 */
  auditFlushIntervalMs?: number;
  /** MCP transport options (sessions) and how often a waiting approval reports progress. */
  mcp?: McpHttpOptions & Pick<McpDeps, 'approvalProgressMs'>;
  /** How often a waiting approval re-reads its row, ms. @default 250 */
  approvalPollMs?: number;
  /** Which integrations take custom tools. @default the generic REST connector and its named instances */
  customToolsFor?: (definition: IntegrationDefinition) => boolean;
  /** Command-bus settings; the bus starts (in `start()`) when `config.amqpUrl` is set. */
  bus?: Omit<CommandBusOptions, 'url' | 'invoker' | 'integrations' | 'kv' | 'log'>;
}

export interface Hub {
  readonly app: FastifyInstance;
  readonly repositories: Repositories;
  readonly database: HubDatabase;
  readonly cipher: SecretCipher;
  readonly integrations: IntegrationHost;
  readonly audit: AuditWriter;
  /** The one path every operation call takes (REST, MCP, bus, CLI, replay). */
  readonly invoker: OperationInvoker;
  /** The webhook side: sources, subscribers, receivers, workers. */
  readonly webhooks: WebhookRuntime;
  /** Pending approvals of agents' writes (`PATCHBAY_APPROVAL_REQUIRED`). */
  readonly approvals: ApprovalService;
  /** The MCP endpoint (`/mcp`): its tools and open sessions. */
  readonly mcp: McpHttpHandle;
  /** Custom tools (`POST /api/tools`) on the generic REST integrations. */
  readonly customTools: CustomTools;
  /** The RabbitMQ command bus, once started (only with `AMQP_URL`). */
  readonly bus: CommandBus | undefined;
  /**
   * Revokes an API token: stored as revoked, and refused by this hub from the next request on
   * (other hub processes refuse it within their token cache time, 5 s). `false` when the token is
   * unknown or was revoked already.
   */
  revokeToken(tokenId: string): Promise<boolean>;
  /** Listens on `config.host:config.port`; resolves to the base URL (`http://127.0.0.1:8080`). */
  start(): Promise<string>;
  /** Stops taking requests, waits for those in flight, flushes the audit log, closes storage. */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are open. */
    scope?: HubScope;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Paths that need a token even without a route (so an unknown `/api/...` answers 401, not 404). */
function isProtectedPath(url: string): boolean {
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path.startsWith('/api/') || path === '/api' || path === '/mcp' || path.startsWith('/mcp/');
}

/** Sets the request's principal and checks the route's scope (and the integration it names). */
function admit(
  request: FastifyRequest,
  principal: Principal,
  scope: HubScope | undefined,
  done: (error?: Error) => void,
): void {
  request.principal = principal;
  try {
    if (scope) authorize(principal, scope, (request.params as { name?: string } | undefined)?.name);
  } catch (error) {
    done(error as Error);
    return;
  }
  done(); // outside the try: it runs the rest of the request, whose errors are not ours to catch
}

function httpDuration(): Histogram<'method' | 'route' | 'status'> {
  const existing = promRegistry.getSingleMetric('patchbay_hub_http_request_duration_seconds');
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: 'patchbay_hub_http_request_duration_seconds',
    help: 'Hub HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
}

/**
 * Builds the hub: opens storage (migrating it), the secret cipher, every integration from its
 * config (stored > env > file), the audit writer, and the Fastify app with its routes. Call
 * `start()` to listen.
 */
export async function createHub(options: CreateHubOptions): Promise<Hub> {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '***' },
    },
    logController: new HubLogController(),
    bodyLimit: config.bodyLimit,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });

  let bus: CommandBus | undefined;
  // Processed webhook events go to the bus once it runs; until it connects a publish fails and
  // the webhook worker retries it.
  const webhookPublisher: EventPublisher | undefined = config.amqpUrl
    ? {
        publish: (routingKey, event) =>
          bus
            ? bus.publishEvent(routingKey, event, `${event.source}:${event.id}`)
            : Promise.reject(new Error('the command bus has not started yet')),
      }
    : undefined;
  let core: HubCore;
  try {
    core = await openHubCore({
      config,
      integrations: options.integrations,
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.egress ? { egress: options.egress } : {}),
      ...(options.store ? { store: options.store } : {}),
      ...(options.auditFlushIntervalMs === undefined
        ? {}
        : { auditFlushIntervalMs: options.auditFlushIntervalMs }),
      logger: app.log as never,
      ...(webhookPublisher ? { webhookPublisher } : {}),
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const {
    database,
    repositories,
    cipher,
    store,
    integrations: host,
    audit,
    invoker,
    catalog,
    webhooks,
  } = core;
  try {
    const seeded = await seedAdminToken(repositories.tokens, config.adminToken);
    if (seeded?.generated) {
      const print =
        options.printAdminToken ??
        ((token: string) =>
          process.stdout.write(
            `\npatchbay: generated the first admin token (shown once, stored hashed):\n\n  ${token}\n\n`,
          ));
      print(seeded.generated);
    }
  } catch (error) {
    await app.close().catch(() => undefined);
    await core.close().catch(() => undefined);
    throw error;
  }

  const authenticator = new TokenAuthenticator(repositories.tokens);
  const duration = httpDuration();

  // Empty JSON bodies are `undefined` (an operation without input), not a 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(
        new HubError('HubRequestError', 400, 'Request body is not valid JSON', { code: 'INVALID_JSON' }),
        undefined,
      );
    }
  });

  // Callback-style hooks: a cached token is checked without a promise or a microtask per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Webhook receivers prove themselves by signature, not by token.
    if (request.routeOptions.config?.public === true) return done();
    const scope = request.routeOptions.config?.scope;
    if (!scope && !isProtectedPath(request.url)) return done();
    let principal: Principal | undefined;
    try {
      principal = authenticator.cached(request.headers.authorization);
    } catch (error) {
      return done(error as Error);
    }
    if (principal) return admit(request, principal, scope, done);
    authenticator.authenticate(request.headers.authorization).then(
      (found) => admit(request, found, scope, done),
      (error: Error) => done(error),
    );
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
    done();
  });

  app.setNotFoundHandler((request, reply) => {
    const error = notFound(`No route ${request.method} ${request.url.split('?', 1)[0]}`);
    reply.code(404).send({ error: error.toJSON() });
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HubError) {
      return reply.code(error.httpStatus).send({ error: error.toJSON() });
    }
    if (isIntegrationError(error)) {
      if (error.httpStatus >= 500) request.log.warn({ type: error.type, code: error.code }, error.message);
      return reply
        .code(error.httpStatus)
        .send({ error: { ...error.toJSON(), httpStatus: error.httpStatus } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = (error as { code?: string }).code;
      return reply.code(status).send({
        error: new HubError(
          'HubRequestError',
          status,
          (error as Error).message,
          code ? { code } : {},
        ).toJSON(),
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({
      error: new HubError('HubError', 500, 'Internal error; see the hub log for this request id', {
        code: 'INTERNAL',
      }).toJSON(),
    });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const notReady = (message: string, extra: Record<string, unknown> = {}) => {
      reply.code(503);
      return { error: new HubError('HubError', 503, message, { code: 'NOT_READY' }).toJSON(), ...extra };
    };
    try {
      await sql`select 1`.execute(database.db);
    } catch (error) {
      return notReady(`storage is not reachable: ${(error as Error).message}`);
    }
    const busStatus = bus?.status();
    if (config.amqpUrl && !busStatus?.ready) {
      return notReady('the command bus is not connected', { bus: busStatus ?? { state: 'connecting' } });
    }
    if (config.redisUrl) {
      try {
        // The store's clock is one round trip: it proves Redis answers.
        await store.now();
      } catch (error) {
        return notReady(`Redis is not reachable: ${(error as Error).message}`);
      }
    }
    return {
      status: 'ready',
      storage: database.dialect,
      ...(config.redisUrl ? { redis: 'ready' } : {}),
      ...(busStatus ? { bus: busStatus.state } : {}),
    };
  });
  app.get('/metrics', { config: { scope: 'viewer' } }, async (_request, reply) => {
    reply.header('content-type', promRegistry.contentType);
    return promRegistry.metrics();
  });

  const approvals = new ApprovalService({
    host,
    repository: repositories.approvals,
    settings: { required: config.approvalRequired, timeoutSeconds: config.approvalTimeout },
    audit,
    log: app.log as never,
    ...(options.approvalPollMs === undefined ? {} : { pollMs: options.approvalPollMs }),
  });
  registerApprovalRoutes(app, { approvals }); // also ends waits at close (preClose)
  const customTools = new CustomTools({
    repository: repositories.customTools,
    host,
    customizable: options.customToolsFor ?? isRestIntegration,
    redefine: (definition) => host.redefine(definition),
    catalog,
    log: app.log as never,
  });
  await customTools.load();
  registerToolRoutes(app, { host, customTools, catalog });
  const mcp = registerMcpRoutes(app, {
    integrations: host,
    invoker,
    approvals,
    catalog,
    log: app.log as never,
    ...options.mcp,
  });
  registerApiRoutes(app, { host, repositories, invoker });
  registerShortcutRoutes(app, invoker, (name) => host.has(name));
  // Receivers, admin routes, GET /api/events, and a preClose hook that ends event streams.
  await webhooks.register(app);

  // The API description is public (it holds no secret) and built once: it follows the definitions.
  const documented: DocumentedRoute[] = [
    ...HUB_ROUTES,
    ...WEBHOOK_ADMIN_ROUTES.map(({ scope, ...route }) => ({
      ...route,
      tag: 'webhooks',
      ...(scope ? { scope } : {}),
    })),
    ...SEED_002_ROUTES.filter((route) => host.has(route.integration)).map((route) => ({
      method: route.method,
      path: `/api/integrations${route.url.replace(/:(\w+)/g, '{$1}')}`,
      scope: 'operator',
      summary: `Seed 002 route onto ${route.integration}.${typeof route.operation === 'string' ? route.operation : 'find_project / list_projects'}`,
      tag: route.integration,
    })),
  ];
  const openApi = buildOpenApi(host.allDefinitions(), documented);
  app.get('/docs/openapi.json', async () => openApi);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docsPage(openApi)));

  let closed: Promise<void> | undefined;
  return {
    app,
    repositories,
    database,
    cipher,
    integrations: host,
    audit,
    invoker,
    revokeToken: (tokenId) => authenticator.revoke(tokenId),
    webhooks,
    approvals,
    mcp,
    customTools,
    get bus() {
      return bus;
    },
    async start() {
      const url = await app.listen({ host: config.host, port: config.port });
      webhooks.start();
      if (config.amqpUrl && !bus) {
        bus = await startCommandBus({
          url: config.amqpUrl,
          // The bus is an agent's edge: writes that need approval wait for it, as over MCP.
          invoker: new GatedInvoker(invoker, approvals),
          catalog,
          integrations: host,
          kv: repositories.kv,
          log: app.log as never,
          ...options.bus,
        });
      }
      return url;
    },
    close() {
      closed ??= (async () => {
        // The bus first: commands in flight finish while the invoker and storage are still open.
        await bus?.close();
        await app.close();
        await core.close();
      })();
      return closed;
    },
  };
}

export type { FastifyRequest };
