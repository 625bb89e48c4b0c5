import { EgressPolicy } from '@patchbay/core';
import type { FastifyInstance } from 'fastify';
import { invalid, notFound } from '../../server/hub-errors.js';
import { WebhookName } from '../config/webhook-settings.js';
import { sealSourceSecrets } from '../registry/source-registry.js';
import { sealSubscriberSecrets } from '../registry/subscriber-registry.js';
import type { WebhookRuntime } from '../runtime.js';
import { generateStandardWebhookSecret } from '../signatures/standard-webhooks.js';
import { LogsQuery, OutboxQuery, SourceBody, SubscriberBody, TestBody } from './admin-schemas.js';
import { defined, parseOr400 } from './parse.js';
import { runTestDelivery } from './test-delivery.js';
import { deliveryView, outboxView, sourceView, subscriberView } from './views.js';

function checkName(name: string, what: string): string {
  return parseOr400(WebhookName, name, `${what} name`, 'params');
}

/**
 * The webhook admin API: sources and subscribers (`/api/webhooks/...`, admin to change, viewer to
 * read), a source's delivery log and its test (`/api/integrations/webhook/{name}/logs|test`).
 */
export function registerAdminRoutes(app: FastifyInstance, runtime: WebhookRuntime): void {
  const { repositories, cipher } = runtime.options;
  const config = repositories.webhookConfig;
  const egress = new EgressPolicy(runtime.options.egress ?? {});

  app.get('/api/webhooks/sources', { config: { scope: 'viewer' } }, async () => ({
    sources: (await runtime.sources.list()).map(sourceView),
  }));

  app.get<{ Params: { source: string } }>(
    '/api/webhooks/sources/:source',
    { config: { scope: 'viewer' } },
    async (request) => {
      const source = await runtime.sources.get(request.params.source);
      if (!source) throw notFound(`No webhook source named ${request.params.source}`);
      const deliveries = await repositories.webhookDeliveries.countByStatus(source.name);
      return { ...sourceView(source), deliveries };
    },
  );

  app.put<{ Params: { source: string } }>(
    '/api/webhooks/sources/:source',
    { config: { scope: 'admin' } },
    async (request) => {
      const name = checkName(request.params.source, 'source');
      const settings = parseOr400(SourceBody, request.body ?? {}, 'webhook source');
      const { secrets, ...rest } = settings;
      const stored = await config.getSource(name);
      if (settings.verify !== 'none' && !secrets && !stored?.secrets) {
        throw invalid('Invalid webhook source', [
          { path: 'secrets', message: `verify: ${settings.verify} needs secrets` },
        ]);
      }
      try {
        runtime.sources.resolve(name, settings, secrets ?? ['placeholder'], 'stored');
      } catch (error) {
        throw invalid('Invalid webhook source', [{ path: 'transform', message: (error as Error).message }]);
      }
      const sealed =
        settings.verify === 'none' ? null : secrets ? sealSourceSecrets(cipher, name, secrets) : undefined;
      await config.putSource(name, rest, sealed);
      await runtime.sources.reload();
      request.log.info({ source: name, verify: settings.verify }, 'webhook source configured');
      const source = await runtime.sources.get(name);
      if (!source) throw new Error(`webhook source ${name} was stored but cannot be read back`);
      return sourceView(source);
    },
  );

  app.delete<{ Params: { source: string } }>(
    '/api/webhooks/sources/:source',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      if (!(await config.deleteSource(request.params.source))) {
        throw notFound(`No stored webhook source named ${request.params.source}`);
      }
      await runtime.sources.reload();
      return reply.code(204).send();
    },
  );

  app.get('/api/webhooks/subscribers', { config: { scope: 'viewer' } }, async () => ({
    subscribers: (await runtime.subscribers.list()).map(subscriberView),
  }));

  app.get<{ Params: { subscriber: string } }>(
    '/api/webhooks/subscribers/:subscriber',
    { config: { scope: 'viewer' } },
    async (request) => {
      const subscriber = await runtime.subscribers.get(request.params.subscriber);
      if (!subscriber) throw notFound(`No subscriber named ${request.params.subscriber}`);
      const deliveries = await repositories.webhookOutbox.countByStatus(subscriber.name);
      return { ...subscriberView(subscriber), deliveries };
    },
  );

  app.put<{ Params: { subscriber: string } }>(
    '/api/webhooks/subscribers/:subscriber',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      const name = checkName(request.params.subscriber, 'subscriber');
      const body = parseOr400(SubscriberBody, request.body ?? {}, 'subscriber');
      const url = new URL(body.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (/^[\d.]+$|:/.test(host) && !egress.allows(host, host)) {
        throw invalid('Invalid subscriber', [
          { path: 'url', message: 'the egress policy does not allow this address' },
        ]);
      }
      const stored = await config.getSubscriber(name);
      const generated = !body.secrets && !stored?.secrets ? generateStandardWebhookSecret() : undefined;
      const secrets = body.secrets ?? (generated ? [generated] : undefined);
      await config.putSubscriber(
        name,
        { url: body.url, eventTypes: body.eventTypes ?? ['*'], enabled: body.enabled ?? true },
        secrets ? sealSubscriberSecrets(cipher, name, secrets) : undefined,
      );
      await runtime.subscribers.reload();
      const subscriber = await runtime.subscribers.get(name);
      if (!subscriber) throw new Error(`subscriber ${name} was stored but cannot be read back`);
      reply.code(stored ? 200 : 201);
      // A generated secret is shown this once; afterwards only its presence is.
      return { ...subscriberView(subscriber), ...(generated ? { secret: generated } : {}) };
    },
  );

  app.post<{ Params: { subscriber: string } }>(
    '/api/webhooks/subscribers/:subscriber/rotate-secret',
    { config: { scope: 'admin' } },
    async (request) => {
      const current = await runtime.subscribers.get(request.params.subscriber);
      if (current?.origin !== 'stored') {
        throw notFound(`No stored subscriber named ${request.params.subscriber}`);
      }
      const secret = generateStandardWebhookSecret();
      // The new secret first, the newest previous one kept: receivers switch at their own pace.
      const secrets = [secret, ...current.secrets.slice(0, 1)];
      await config.putSubscriber(current.name, current, sealSubscriberSecrets(cipher, current.name, secrets));
      await runtime.subscribers.reload();
      return { name: current.name, secret, secrets: secrets.map(() => '***') };
    },
  );

  app.delete<{ Params: { subscriber: string } }>(
    '/api/webhooks/subscribers/:subscriber',
    { config: { scope: 'admin' } },
    async (request, reply) => {
      if (!(await config.deleteSubscriber(request.params.subscriber))) {
        throw notFound(`No stored subscriber named ${request.params.subscriber}`);
      }
      await runtime.subscribers.reload();
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { subscriber: string } }>(
    '/api/webhooks/subscribers/:subscriber/deliveries',
    { config: { scope: 'viewer' } },
    async (request) => {
      const query = parseOr400(OutboxQuery, request.query ?? {}, 'deliveries query', 'query');
      const page = await repositories.webhookOutbox.list(request.params.subscriber, defined(query));
      return { rows: page.rows.map(outboxView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/integrations/webhook/:name/logs',
    { config: { scope: 'viewer' } },
    async (request) => {
      const source = await runtime.sources.get(request.params.name);
      if (!source) throw notFound(`No webhook source named ${request.params.name}`);
      const query = parseOr400(LogsQuery, request.query ?? {}, 'logs query', 'query');
      const page = await repositories.webhookDeliveries.list({ source: source.name, ...defined(query) });
      return {
        source: source.name,
        rows: page.rows.map(deliveryView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        recentRejections: runtime.rejections.of(source.name),
      };
    },
  );

  app.post<{ Params: { name: string } }>(
    '/api/integrations/webhook/:name/test',
    { config: { scope: 'operator' } },
    async (request) => {
      const body = parseOr400(TestBody, request.body, 'test request');
      return runTestDelivery(app, runtime, request.params.name, body?.payload);
    },
  );
}
