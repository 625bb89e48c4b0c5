import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

const byConnection = new WeakMap<Socket, AbortSignal>();

/**
 * A signal that aborts when the HTTP caller goes away (its connection closes) before the answer
 * is written, so an operation nobody waits for stops (and a write that was abandoned is not
 * dead-lettered).
 *
 * One signal per connection, not per request: an HTTP/1.1 caller goes away by closing its
 * connection, which ends every request on it, and an AbortController per request cost more than
 * the rest of the route's own work (its EventTarget is slow to build). Once a connection has
 * closed its signal stays aborted, and it is garbage once the socket is. Calls add an `abort`
 * listener per attempt and remove it when the attempt ends, so several pipelined requests on one
 * connection may hold a few at once: the EventTarget leak warning (at 10) is off for this signal.
 */
export function callerSignal(reply: FastifyReply): AbortSignal {
  const socket = reply.raw.socket;
  if (!socket) return requestSignal(reply);
  let signal = byConnection.get(socket);
  if (signal === undefined) {
    const controller = new AbortController();
    signal = controller.signal;
    setMaxListeners(0, signal);
    byConnection.set(socket, signal);
    if (socket.destroyed) controller.abort(new Error('client went away'));
    else socket.once('close', () => controller.abort(new Error('client went away')));
  }
  return signal;
}

/** The fallback for a reply without a socket (never seen on a live request): per request. */
function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) controller.abort(new Error('client went away'));
  });
  return controller.signal;
}
