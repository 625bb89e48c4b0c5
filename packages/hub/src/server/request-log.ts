import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * The hub's per-request log lines: ONE access line per request at `info` (`request completed`, or
 * `request errored` at `error`), with the method, URL and remote address (`req`), the status
 * (`res`) and the time taken; the `incoming request` line only at `debug`. Fastify's default logs
 * both lines at `info`, so a hub at the default level wrote two JSON lines per call.
 */
export class HubLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
    } else {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  }
}
