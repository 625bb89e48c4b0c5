import type { FieldIssue } from '@patchbay/core';
import type { CommandEcho } from './command-message.js';

/** The error of a failed event: the typed error's wire JSON, as REST answers it. */
export interface BusEventError {
  type: string;
  message: string;
  retryable: boolean;
  httpStatus?: number;
  code?: string;
  status?: number;
  retryAfter?: number;
  integration?: string;
  operation?: string;
  issues?: readonly FieldIssue[];
  /** Set when the failed write was kept in the hub's dead-letter queue (`/api/dlq`) for replay. */
  deadLetterId?: string;
  /** How many times the bus ran the command (retries of temporary failures included). */
  attempts?: number;
}

/**
 * Seed 002's event: `{task_id, step_id, tool_name, status, result | error, timestamp}`, published
 * to `events.exchange` with routing key `integrations.<tool>_<status>`.
 */
export type BusEvent = CommandEcho & { timestamp: string } & (
    | { status: 'completed'; result: unknown }
    | { status: 'failed'; error: BusEventError }
  );

const ROUTABLE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The tool part of an event's routing key. A topic routing key splits on `.`, and `*`/`#` are
 * wildcards in bindings, so a name that is not a plain tool name (a malformed command's) is
 * replaced by the command's own routing key suffix when that is plain, else `unknown`.
 */
export function routingTool(toolName: string | null, commandRoutingKey: string): string {
  if (toolName !== null && ROUTABLE.test(toolName)) return toolName;
  const suffix = commandRoutingKey.startsWith('integrations.') ? commandRoutingKey.slice(13) : '';
  return ROUTABLE.test(suffix) ? suffix : 'unknown';
}

/** `integrations.<tool>_<completed|failed>`. */
export function eventRoutingKey(tool: string, status: BusEvent['status']): string {
  return `integrations.${tool}_${status}`;
}

export function completedEvent(echo: CommandEcho, result: unknown, now = new Date()): BusEvent {
  return { ...echo, status: 'completed', result, timestamp: now.toISOString() };
}

export function failedEvent(echo: CommandEcho, error: BusEventError, now = new Date()): BusEvent {
  return { ...echo, status: 'failed', error, timestamp: now.toISOString() };
}
