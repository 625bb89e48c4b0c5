import { z } from 'zod';
import { HubError, type HubErrorJson, invalid, zodIssues } from '../server/hub-errors.js';

/** A task or step id as agents send them: a non-empty string or a whole number. */
const Id = z.union([z.string().min(1).max(200), z.number().int().nonnegative()]);

/** Seed 002's command: `{tool_name, parameters, task_id, step_id}`. */
export const CommandSchema = z.object({
  tool_name: z.string().min(1).max(128),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  task_id: Id,
  step_id: Id,
});

export interface Command {
  tool_name: string;
  parameters: Record<string, unknown>;
  task_id: string | number;
  step_id: string | number;
}

/** What a failed event can still echo of a command that did not validate. */
export interface CommandEcho {
  task_id: string | number | null;
  step_id: string | number | null;
  tool_name: string | null;
}

export type ParsedCommand =
  | { ok: true; command: Command }
  | { ok: false; echo: CommandEcho; error: HubErrorJson };

const NOTHING: CommandEcho = { task_id: null, step_id: null, tool_name: null };

/**
 * Parses and validates a command message. A bad one comes back as a `HubValidationError` whose
 * issues name the fields at fault (`(body)` when it is not JSON at all), with whatever ids it had
 * so the failed event can still reach the step that sent it.
 */
export function parseCommand(content: Buffer): ParsedCommand {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      echo: NOTHING,
      error: new HubError('HubValidationError', 400, 'Command is not valid JSON', {
        code: 'INVALID_JSON',
        issues: [{ path: '(body)', message: (error as Error).message }],
      }).toJSON(),
    };
  }
  const parsed = CommandSchema.safeParse(json);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error.issues).map((i) => ({ ...i, path: i.path || '(body)' }));
    const fields = issues.map((i) => i.path).join(', ');
    return { ok: false, echo: echoOf(json), error: invalid(`Invalid command: ${fields}`, issues).toJSON() };
  }
  const { tool_name, parameters, task_id, step_id } = parsed.data;
  return { ok: true, command: { tool_name, parameters: parameters ?? {}, task_id, step_id } };
}

/** The ids of a command that failed validation, each only when it has a usable type. */
function echoOf(json: unknown): CommandEcho {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return NOTHING;
  const record = json as Record<string, unknown>;
  const id = (value: unknown) =>
    (typeof value === 'string' && value.length <= 200) ||
    (typeof value === 'number' && Number.isFinite(value))
      ? value
      : null;
  const tool = record.tool_name;
  return {
    task_id: id(record.task_id),
    step_id: id(record.step_id),
    tool_name: typeof tool === 'string' && tool.length <= 128 ? tool : null,
  };
}
