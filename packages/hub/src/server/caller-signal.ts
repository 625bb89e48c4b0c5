import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the HTTP caller goes away before its answer is written, so an
 * operation nobody waits for stops (and a write that was abandoned is not dead-lettered).
 * Call `done()` once the outcome is known.
 */
export function callerSignal(reply: FastifyReply): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) controller.abort(new Error('client went away'));
  };
  reply.raw.once('close', onClose);
  return { signal: controller.signal, done: () => reply.raw.off('close', onClose) };
}
