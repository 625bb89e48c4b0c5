import type { FastifyInstance } from 'fastify';
import { SseStream } from '../events/sse-stream.js';
import { compilePatterns } from '../registry/patterns.js';
import type { WebhookRuntime } from '../runtime.js';
import { EventsQuery } from './admin-schemas.js';
import { parseOr400 } from './parse.js';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * `GET /api/events`: normalized events as server-sent events, for dashboards and agents (seed 004's
 * push to whoever is watching). Filters: `source` (names) and `type` (patterns), comma-separated.
 * `Last-Event-ID` (or `?lastEventId=`) resumes after that event, from storage.
 */
export function registerEventRoutes(app: FastifyInstance, runtime: WebhookRuntime): void {
  app.get('/api/events', { config: { scope: 'viewer' } }, async (request, reply) => {
    const query = parseOr400(EventsQuery, request.query ?? {}, 'events query', 'query');
    const header = request.headers['last-event-id'];
    const fromHeader = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
    const types = list(query.type);
    const stream = new SseStream(reply.raw, {
      feed: runtime.feed,
      events: runtime.options.repositories.webhookEvents,
      filter: { sources: list(query.source), type: types.length > 0 ? compilePatterns(types) : undefined },
      lastEventId: fromHeader ?? query.lastEventId,
      heartbeatMs: runtime.timings.heartbeatMs,
    });
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    runtime.streams.add(stream);
    const close = () => {
      runtime.streams.delete(stream);
      stream.end();
    };
    reply.raw.once('close', close);
    try {
      await stream.open();
    } catch (error) {
      request.log.error({ err: error }, 'event stream failed');
      close();
    }
  });
}
