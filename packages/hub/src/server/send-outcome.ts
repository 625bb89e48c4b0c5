import type { FastifyReply } from 'fastify';
import type { InvocationOutcome } from '../operations/operation-invoker.js';

/**
 * An operation's outcome as the REST answer: the result as JSON, or DESIGN.md's error body
 * `{ error: { type, message, retryable, …, httpStatus, deadLetterId? } }` with the error's status.
 */
export function sendOutcome(reply: FastifyReply, outcome: InvocationOutcome): FastifyReply | unknown {
  if (outcome.ok) return outcome.result;
  const { body, httpStatus, deadLetterId } = outcome;
  return reply
    .code(httpStatus)
    .send({ error: { ...body, httpStatus, ...(deadLetterId === undefined ? {} : { deadLetterId }) } });
}
