import { randomUUID } from 'node:crypto';
import type { Logger } from '@patchbay/core';
import type { ConsumeMessage, Options } from 'amqplib';
import type { InvocationOutcome, InvocationRunner } from '../operations/operation-invoker.js';
import { HubError } from '../server/hub-errors.js';
import {
  type BusEvent,
  type BusEventError,
  completedEvent,
  eventRoutingKey,
  failedEvent,
  routingTool,
} from './bus-event.js';
import type { BusMetrics, CommandOutcome } from './bus-metrics.js';
import type { BusSession } from './bus-session.js';
import { type CommandLease, CommandLedger } from './command-ledger.js';
import { type Command, type CommandEcho, parseCommand } from './command-message.js';
import { planRetry, type RetryDecision } from './retry-plan.js';
import type { ResolvedTool, ToolResolver } from './tool-resolver.js';
import { type BusTopology, retryQueueName } from './topology.js';

/** Header counting the runs of a command across retries (absent on the first). */
export const ATTEMPT_HEADER = 'x-patchbay-attempt';
/** Headers on a dead-lettered command: why it was given up. */
export const DEAD_LETTER_HEADERS = {
  attempts: 'x-patchbay-attempts',
  errorType: 'x-patchbay-error-type',
  errorMessage: 'x-patchbay-error-message',
} as const;

export interface CommandHandlerDeps {
  invoker: InvocationRunner;
  tools: ToolResolver;
  ledger: CommandLedger;
  topology: BusTopology;
  retryDelaysMs: readonly number[];
  metrics: BusMetrics;
  log: Logger | undefined;
  /** Aborted when the bus closes: a command waiting on another consumer's claim gives up its delivery. */
  closing: AbortSignal;
}

/** What one delivery came to, for metrics and the caller's bookkeeping. */
export interface Handled {
  tool: string;
  outcome: CommandOutcome;
}

/**
 * Runs one command delivery to its end: validate, claim (or find its stored outcome), invoke,
 * then retry, dead-letter or publish the outcome, and only then acknowledge. Every failure of its
 * own (storage, an unconfirmed publish) rejects, and the caller gives the delivery back.
 */
export async function handleCommand(
  message: ConsumeMessage,
  session: BusSession,
  deps: CommandHandlerDeps,
): Promise<Handled> {
  const parsed = parseCommand(message.content);
  if (!parsed.ok) {
    await finish(message, session, failedEvent(parsed.echo, parsed.error), eventOptions(message), deps);
    logInvalid(deps, parsed.echo, parsed.error);
    return { tool: 'invalid', outcome: 'invalid' };
  }
  const { command } = parsed;
  const echo: CommandEcho = {
    task_id: command.task_id,
    step_id: command.step_id,
    tool_name: command.tool_name,
  };
  const resolution = deps.tools.resolve(command.tool_name, command.parameters);
  if (!resolution.ok) {
    await finish(message, session, failedEvent(echo, resolution.error), eventOptions(message, command), deps);
    logInvalid(deps, echo, resolution.error);
    return { tool: 'invalid', outcome: 'invalid' };
  }
  const { resolved } = resolution;
  const tool = resolved.tool.name;

  const claim = await deps.ledger.claim(CommandLedger.key(command.task_id, command.step_id), deps.closing);
  if (claim.kind === 'done') {
    await finish(message, session, claim.event, eventOptions(message, command), deps);
    return { tool, outcome: 'duplicate' };
  }
  const { lease } = claim;
  const attempt = attemptOf(message);
  let outcome: InvocationOutcome;
  try {
    outcome = await invoke(deps.invoker, command, resolved);
  } catch (error) {
    await lease.release();
    if (!(error instanceof HubError)) throw error;
    // Resolution or authorization refused it (the integration was reconfigured meanwhile): nothing
    // ran, so nothing is stored.
    await finish(message, session, failedEvent(echo, error.toJSON()), eventOptions(message, command), deps);
    return { tool, outcome: 'failed' };
  }
  if (outcome.ok) {
    await complete(message, session, lease, completedEvent(echo, outcome.result), command, deps);
    return { tool, outcome: 'completed' };
  }

  const error = eventError(outcome, resolved, attempt);
  const decision = planRetry(
    { attempt, retryable: error.retryable, retryAfter: error.retryAfter, deadLetterId: error.deadLetterId },
    deps.retryDelaysMs,
  );
  if (decision.retry) {
    await lease.release();
    await retry(message, session, decision, attempt, deps);
    deps.log?.info(
      {
        taskId: command.task_id,
        stepId: command.step_id,
        tool,
        attempt,
        waitMs: decision.waitMs,
        type: error.type,
      },
      `bus: ${tool} failed temporarily; retrying (${decision.reason})`,
    );
    return { tool, outcome: 'retried' };
  }
  if (decision.reason === 'attempts-exhausted') {
    await deadLetter(message, session, tool, error, attempt, deps);
    deps.log?.warn(
      { taskId: command.task_id, stepId: command.step_id, tool, attempts: attempt, type: error.type },
      `bus: ${tool} kept failing; dead-lettered to ${deps.topology.deadLetterExchange}`,
    );
  }
  await complete(message, session, lease, failedEvent(echo, error), command, deps);
  return { tool, outcome: decision.reason === 'attempts-exhausted' ? 'dead_lettered' : 'failed' };
}

function invoke(
  invoker: InvocationRunner,
  command: Command,
  resolved: ResolvedTool,
): Promise<InvocationOutcome> {
  const { tool } = resolved;
  return invoker.invoke({
    integration: tool.integration,
    operation: tool.operation,
    input: resolved.input,
    requestId: `${command.task_id}:${command.step_id}`,
    channel: 'bus',
    // Every run of the step (redelivery, retry, replay from the DLQ) sends the same key, so an
    // upstream that honours keys applies the write once; it also lets the client retry the POST.
    ...(tool.kind === 'write'
      ? { idempotencyKey: `patchbay-bus-${CommandLedger.digest(command.task_id, command.step_id)}` }
      : {}),
  });
}

/** The failed outcome as the event's error: REST's error body, with the command's own field paths. */
function eventError(
  outcome: Extract<InvocationOutcome, { ok: false }>,
  resolved: ResolvedTool,
  attempt: number,
): BusEventError {
  const { body, httpStatus, deadLetterId } = outcome;
  const issues = 'issues' in body && body.issues ? body.issues : undefined;
  return {
    ...body,
    httpStatus,
    ...(issues ? { issues: issues.map((i) => ({ ...i, path: resolved.issuePath(i.path) })) } : {}),
    ...(deadLetterId === undefined ? {} : { deadLetterId }),
    attempts: attempt,
  };
}

/** Stores the outcome, then publishes it and acknowledges the command. */
async function complete(
  message: ConsumeMessage,
  session: BusSession,
  lease: CommandLease,
  event: BusEvent,
  command: Command,
  deps: CommandHandlerDeps,
): Promise<void> {
  await lease.complete(event);
  // The connection went away while the command ran: the broker redelivers it, and that delivery
  // publishes the stored outcome. Publishing here too would only duplicate the event.
  if (!session.alive) return;
  await finish(message, session, event, eventOptions(message, command), deps);
}

/** Publishes the event (confirmed) and acknowledges the command. */
async function finish(
  message: ConsumeMessage,
  session: BusSession,
  event: BusEvent,
  options: Options.Publish,
  deps: CommandHandlerDeps,
): Promise<void> {
  const key = eventRoutingKey(routingTool(event.tool_name, message.fields.routingKey), event.status);
  await session.publish('event', deps.topology.eventsExchange, key, Buffer.from(JSON.stringify(event)), {
    ...options,
    type: key,
  });
  session.ack(message);
}

function eventOptions(message: ConsumeMessage, command?: Command): Options.Publish {
  const correlationId = message.properties.correlationId as string | undefined;
  return {
    persistent: true,
    contentType: 'application/json',
    appId: 'patchbay-hub',
    timestamp: Math.floor(Date.now() / 1000),
    // The same id each time an outcome is (re)published, so subscribers can drop duplicates.
    messageId: command ? CommandLedger.digest(command.task_id, command.step_id) : randomUUID(),
    ...(correlationId ? { correlationId } : {}),
  };
}

function attemptOf(message: ConsumeMessage): number {
  const value = Number(message.properties.headers?.[ATTEMPT_HEADER]);
  return Number.isInteger(value) && value > 0 ? value : 1;
}

/** The command's own headers, minus the broker's bookkeeping (set again by the broker as it routes). */
function ownHeaders(message: ConsumeMessage): Record<string, unknown> {
  const headers: Record<string, unknown> = { ...message.properties.headers };
  for (const name of Object.keys(headers)) {
    if (name === 'x-death' || name.startsWith('x-first-death') || name.startsWith('x-last-death')) {
      delete headers[name];
    }
  }
  delete headers['x-delivery-count'];
  return headers;
}

/** A copy of the command's properties, for the copy that goes to a retry queue or the dead letters. */
function copyOptions(message: ConsumeMessage, headers: Record<string, unknown>): Options.Publish {
  const { properties } = message;
  return {
    persistent: true,
    headers,
    ...(properties.contentType ? { contentType: properties.contentType as string } : {}),
    ...(properties.messageId ? { messageId: properties.messageId as string } : {}),
    ...(properties.correlationId ? { correlationId: properties.correlationId as string } : {}),
    ...(properties.appId ? { appId: properties.appId as string } : {}),
  };
}

async function retry(
  message: ConsumeMessage,
  session: BusSession,
  decision: Extract<RetryDecision, { retry: true }>,
  attempt: number,
  deps: CommandHandlerDeps,
): Promise<void> {
  const options = copyOptions(message, { ...ownHeaders(message), [ATTEMPT_HEADER]: attempt + 1 });
  options.expiration = String(decision.waitMs);
  await session.publish(
    'retry',
    '',
    retryQueueName(deps.topology, decision.delayMs),
    message.content,
    options,
  );
  session.ack(message);
}

async function deadLetter(
  message: ConsumeMessage,
  session: BusSession,
  tool: string,
  error: BusEventError,
  attempts: number,
  deps: CommandHandlerDeps,
): Promise<void> {
  const options = copyOptions(message, {
    ...ownHeaders(message),
    [DEAD_LETTER_HEADERS.attempts]: attempts,
    [DEAD_LETTER_HEADERS.errorType]: error.type,
    [DEAD_LETTER_HEADERS.errorMessage]: error.message.slice(0, 500),
  });
  // A retried command comes back with the queue's name as routing key; the dead letter gets the
  // command's own (`integrations.<tool>`), as a subscriber of the dead-letter exchange expects.
  const routingKey = `integrations.${routingTool(tool, message.fields.routingKey)}`;
  await session.publish(
    'dead_letter',
    deps.topology.deadLetterExchange,
    routingKey,
    message.content,
    options,
  );
}

function logInvalid(
  deps: CommandHandlerDeps,
  echo: CommandEcho,
  error: { message: string; issues?: readonly unknown[] },
): void {
  deps.log?.warn(
    { taskId: echo.task_id, stepId: echo.step_id, tool: echo.tool_name, issues: error.issues },
    `bus: rejected a command: ${error.message}`,
  );
}
