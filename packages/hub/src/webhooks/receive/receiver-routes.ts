import type { FastifyInstance } from 'fastify';
import type { WebhookReceiver } from './receiver.js';
import type { Rejections } from './rejections.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route takes no bearer token: it authenticates its callers itself (webhook receivers check
     * the sender's signature). The hub's auth hook lets such routes through.
     */
    public?: boolean;
  }
}

/** The receiver routes, public (no bearer token): their callers prove themselves by signature. */
export const RECEIVER_ROUTES = [
  '/api/integrations/webhook/:name',
  '/api/integrations/slack/webhook',
] as const;

/**
 * Registers the receivers in an encapsulated plugin whose only body parser keeps the raw bytes
 * (signatures are computed over them), whatever the content type; the rest of the app keeps its
 * JSON parser. A body over `maxBodyBytes` is cut off by Fastify with 413 and counted here.
 */
export async function registerReceiverRoutes(
  app: FastifyInstance,
  options: { receiver: WebhookReceiver; rejections: Rejections; maxBodyBytes: number },
): Promise<void> {
  const { receiver, rejections, maxBodyBytes } = options;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) =>
      done(null, body),
    );
    // Fastify refuses an oversized body before the handler runs; count it like any other refusal.
    scope.addHook('onResponse', (request, reply, done) => {
      if (reply.statusCode === 413 && !(request as { webhookRefused?: boolean }).webhookRefused) {
        const name = (request.params as { name?: string } | undefined)?.name ?? 'slack';
        rejections.record(name, false, 'body_too_large', request);
      }
      done();
    });
    scope.post<{ Params: { name: string } }>(
      RECEIVER_ROUTES[0],
      { bodyLimit: maxBodyBytes, config: { public: true } },
      (request, reply) => receiver.handle(request.params.name, request, reply),
    );
    scope.post(RECEIVER_ROUTES[1], { bodyLimit: maxBodyBytes, config: { public: true } }, (request, reply) =>
      receiver.handle('slack', request, reply),
    );
  });
}
